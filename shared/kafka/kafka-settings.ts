/**
 * How to reach Kafka, read from the environment once (at cold start) with zod. The same code
 * talks to MSK with IAM auth (SASL OAUTHBEARER over TLS) and to the local broker (plaintext).
 *
 * | variable | default | meaning |
 * |---|---|---|
 * | `KAFKA_BROKERS` | (required) | comma-separated `host:port` list |
 * | `KAFKA_AUTH` | `none` | `none` or `iam` (MSK IAM, SASL OAUTHBEARER; forces TLS) |
 * | `KAFKA_TLS` | `false` | TLS without IAM (forced on with `iam`) |
 * | `AWS_REGION` | (required with `iam`) | region the IAM auth tokens are signed for |
 * | `KAFKA_CLIENT_ID` | the Lambda's function name, else `msk-order-events` | client id seen by the broker |
 * | `KAFKA_CONNECT_TIMEOUT_MS` | 3000 (100..30000) | TCP/TLS connect timeout |
 * | `KAFKA_REQUEST_TIMEOUT_MS` | 10000 (1000..120000) | one request, and the broker's acks wait |
 * | `KAFKA_SEND_TIMEOUT_MS` | 20000 (1000..600000) | deadline of one whole send, retries included |
 * | `KAFKA_SEND_RETRIES` | 5 (1..20) | retries of one send on retriable errors |
 */
import * as z from "zod/mini";
import { parseEnvironment, wholeNumber } from "../config";

/**
 * How a client authenticates: not at all (the local broker) or with MSK IAM.
 *
 * @example
 * ```ts
 * const auth: KafkaAuth = "iam";
 * ```
 */
export type KafkaAuth = "none" | "iam";

interface KafkaConnectionSettings {
  readonly brokers: readonly string[];
  readonly tls: boolean;
  readonly clientId: string;
  readonly connectTimeoutMs: number;
  readonly requestTimeoutMs: number;
  readonly sendTimeoutMs: number;
  readonly sendRetries: number;
}

/**
 * How to reach Kafka. With IAM auth there is always a region to sign tokens for.
 *
 * @example
 * ```ts
 * const settings: KafkaSettings = readKafkaSettings(process.env);
 * if (settings.auth === "iam") settings.region; // string
 * ```
 */
export type KafkaSettings = KafkaConnectionSettings &
  (
    | { readonly auth: "none"; readonly region: string | undefined }
    | { readonly auth: "iam"; readonly region: string }
  );

const DEFAULT_CLIENT_ID = "msk-order-events";
const BROKER_PATTERN = /^[^\s:,]+:\d{1,5}$/;

const splitBrokers = (list: string): string[] =>
  list
    .split(",")
    .map((broker) => broker.trim())
    .filter((broker) => broker.length > 0);

const environmentSchema = z.pipe(
  z.object({
    KAFKA_BROKERS: z.pipe(
      z.string().check(
        z.refine(
          (list) => {
            const brokers = splitBrokers(list);
            return brokers.length > 0 && brokers.every((broker) => BROKER_PATTERN.test(broker));
          },
          {
            message:
              'must be a comma-separated list of host:port, e.g. "b-1.msk:9098,b-2.msk:9098"',
          },
        ),
      ),
      z.transform(splitBrokers),
    ),
    KAFKA_AUTH: z._default(z.enum(["none", "iam"]), "none"),
    KAFKA_TLS: z._default(z.stringbool(), false),
    AWS_REGION: z.optional(z.string().check(z.minLength(1))),
    KAFKA_CLIENT_ID: z.optional(z.string().check(z.minLength(1))),
    AWS_LAMBDA_FUNCTION_NAME: z.optional(z.string().check(z.minLength(1))),
    KAFKA_CONNECT_TIMEOUT_MS: wholeNumber({ min: 100, max: 30_000, fallback: 3_000 }),
    KAFKA_REQUEST_TIMEOUT_MS: wholeNumber({ min: 1_000, max: 120_000, fallback: 10_000 }),
    KAFKA_SEND_TIMEOUT_MS: wholeNumber({ min: 1_000, max: 600_000, fallback: 20_000 }),
    KAFKA_SEND_RETRIES: wholeNumber({ min: 1, max: 20, fallback: 5 }),
  }),
  z.transform((env, context): KafkaSettings => {
    const connection: KafkaConnectionSettings = {
      brokers: env.KAFKA_BROKERS,
      // MSK serves IAM auth only over TLS (port 9098); plaintext would just fail to connect.
      tls: env.KAFKA_AUTH === "iam" || env.KAFKA_TLS,
      clientId: env.KAFKA_CLIENT_ID ?? env.AWS_LAMBDA_FUNCTION_NAME ?? DEFAULT_CLIENT_ID,
      connectTimeoutMs: env.KAFKA_CONNECT_TIMEOUT_MS,
      requestTimeoutMs: env.KAFKA_REQUEST_TIMEOUT_MS,
      sendTimeoutMs: env.KAFKA_SEND_TIMEOUT_MS,
      sendRetries: env.KAFKA_SEND_RETRIES,
    };
    if (env.KAFKA_AUTH === "none") return { ...connection, auth: "none", region: env.AWS_REGION };
    if (env.AWS_REGION !== undefined) return { ...connection, auth: "iam", region: env.AWS_REGION };
    context.issues.push({
      code: "custom",
      input: env,
      path: ["AWS_REGION"],
      message: "is required when KAFKA_AUTH=iam (IAM auth tokens are signed for a region)",
    });
    return z.NEVER;
  }),
);

/**
 * Parses the Kafka settings; throws `ConfigurationError` naming every bad variable.
 *
 * @example
 * ```ts
 * const kafkaSettings = readKafkaSettings(process.env); // at module scope: parsed once
 * kafkaSettings.brokers; // ["b-1.msk:9098", "b-2.msk:9098"]
 * ```
 */
export const readKafkaSettings = (
  environment: Readonly<Record<string, string | undefined>>,
): KafkaSettings => parseEnvironment(environmentSchema, environment);
