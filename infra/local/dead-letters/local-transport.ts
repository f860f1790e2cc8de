/**
 * How the command line reaches the dead letters: a {@link DeadLetterTransport} runs one
 * request and answers it. The local one runs the shared operations in-process against the
 * broker and S3 the environment names, by default `npm run services:up`'s broker and moto
 * and the wiring's topics and bucket; the function one sends the request to the
 * dead-letters function (`functions/dead-letters/handler.ts`), which runs the same
 * operations where the places are (in the VPC, on AWS).
 *
 * @example
 * ```ts
 * const transport = localTransport(process.env);
 * const answer = await transport.run({ command: "list", filters: {} });
 * await transport.close();
 * ```
 */
import { S3Client } from "@aws-sdk/client-s3";
import {
  DEAD_LETTERS_FUNCTION,
  type DeadLetterAnswer,
  type DeadLetterRequest,
  operationDependencies,
  runDeadLetterOperation,
} from "../../../shared/dead-letters/inventory";
import { setupTracing } from "../../../shared/observability";
import {
  ORDER_EVENTS_DLQ_TOPIC,
  ORDER_EVENTS_MAX_MESSAGE_BYTES,
  ORDER_EVENTS_ON_FAILURE_TOPIC,
  ORDER_EVENTS_TOPIC,
  OUTBOX_DEAD_LETTER_BUCKET,
} from "../../wiring/system-wiring";
import { awsClientConfig, awsServiceEndpoint } from "../services/aws-endpoints";
import {
  localAwsEndpoint,
  localKafkaBrokers,
  readServiceSettings,
} from "../services/service-settings";

/** Runs requests somewhere: in-process, or in a deployed function. */
export interface DeadLetterTransport {
  run(request: DeadLetterRequest): Promise<DeadLetterAnswer>;
  close(): Promise<void>;
}

type Environment = Readonly<Record<string, string | undefined>>;

/** S3 where the environment sends it, else moto; on this machine by path, with dummy credentials. */
const s3Client = (env: Environment): S3Client => {
  const endpoint =
    awsServiceEndpoint(env, "S3") ?? localAwsEndpoint(readServiceSettings(process.env));
  const config = awsClientConfig(endpoint, "S3", env.AWS_REGION ?? "us-east-1");
  return new S3Client({
    ...config,
    forcePathStyle: config.forcePathStyle === true || env.S3_FORCE_PATH_STYLE === "true",
  });
};

/** The environment with the local defaults filled in. */
const withLocalDefaults = (env: Environment): Environment => ({
  ...env,
  KAFKA_BROKERS: env.KAFKA_BROKERS ?? localKafkaBrokers(readServiceSettings(process.env)),
  DEAD_LETTER_BUCKET_NAME: env.DEAD_LETTER_BUCKET_NAME ?? OUTBOX_DEAD_LETTER_BUCKET,
  DEAD_LETTER_TOPICS: env.DEAD_LETTER_TOPICS ?? ORDER_EVENTS_DLQ_TOPIC,
  ON_FAILURE_TOPICS: env.ON_FAILURE_TOPICS ?? ORDER_EVENTS_ON_FAILURE_TOPIC,
  KAFKA_PRODUCE_TOPICS: env.KAFKA_PRODUCE_TOPICS ?? ORDER_EVENTS_TOPIC,
  MAX_MESSAGE_BYTES: env.MAX_MESSAGE_BYTES ?? String(ORDER_EVENTS_MAX_MESSAGE_BYTES),
});

/** The in-process transport over the places the environment names. */
export const localTransport = (env: Environment): DeadLetterTransport => {
  // The relay's publish continues each item's stored trace, as the relay function does.
  setupTracing({ serviceName: DEAD_LETTERS_FUNCTION });
  const s3 = s3Client(env);
  const { dependencies, close } = operationDependencies(withLocalDefaults(env), { s3 });
  return {
    run: (request) => runDeadLetterOperation(request, dependencies),
    close: async () => {
      await close();
      s3.destroy();
    },
  };
};

/** The function answered with an error instead of an answer. */
export class DeadLettersFunctionError extends Error {
  override readonly name = "DeadLettersFunctionError";
}

/**
 * The transport through the dead-letters function: `invoke` sends the request as the
 * function's event and returns what it answered (Lambda's Invoke on AWS; the local
 * runtime's function host offline).
 */
export const functionTransport = (
  invoke: (
    event: DeadLetterRequest,
  ) => Promise<
    { ok: true; value: unknown } | { ok: false; error: { errorType: string; errorMessage: string } }
  >,
  close: () => Promise<void> = async () => undefined,
): DeadLetterTransport => ({
  async run(request) {
    const outcome = await invoke(request);
    if (!outcome.ok) {
      throw new DeadLettersFunctionError(
        `${outcome.error.errorType}: ${outcome.error.errorMessage}`,
      );
    }
    return outcome.value as DeadLetterAnswer;
  },
  close,
});
