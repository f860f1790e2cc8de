/**
 * The kafkajs client configuration for {@link KafkaSettings}: plaintext for the local broker,
 * TLS with SASL OAUTHBEARER (MSK IAM tokens) for MSK, bounded timeouts and retries everywhere,
 * so a call against an unreachable cluster fails in bounded time instead of hanging a Lambda.
 */
import { type KafkaConfig, type logCreator, logLevel, type RetryOptions } from "kafkajs";
import type { KafkaSettings } from "./kafka-settings";
import { mskIamTokenProvider } from "./msk-iam-token";

/**
 * What a kafkajs client takes besides the settings: logging, and another token source.
 *
 * @example
 * ```ts
 * const options: KafkaClientOptions = { logLevel: logLevel.WARN };
 * ```
 */
export interface KafkaClientOptions {
  /** kafkajs log level; errors only unless told otherwise. */
  readonly logLevel?: logLevel;
  /** Where kafkajs logs go (e.g. a Powertools logger); kafkajs' JSON console logger if unset. */
  readonly logCreator?: logCreator;
  /** Replaces the MSK IAM token provider (tests, or another credential source). */
  readonly oauthBearerProvider?: () => Promise<{ value: string }>;
}

/**
 * kafkajs retries with exponential back-off. Short first steps and a low cap keep a whole
 * series of retries well inside a Lambda's timeout; the count comes from the settings.
 *
 * @example
 * ```ts
 * producer = kafka.producer({ retry: retryOptions(settings) });
 * ```
 */
export const retryOptions = (settings: KafkaSettings): RetryOptions => ({
  retries: settings.sendRetries,
  initialRetryTime: 100,
  maxRetryTime: 2_000,
  multiplier: 2,
  factor: 0.2,
});

/**
 * The kafkajs configuration of a client for the settings' cluster.
 *
 * @example
 * ```ts
 * const kafka = new Kafka(kafkaClientConfig(readKafkaSettings(process.env)));
 * ```
 */
export const kafkaClientConfig = (
  settings: KafkaSettings,
  options: KafkaClientOptions = {},
): KafkaConfig => {
  const config: KafkaConfig = {
    clientId: settings.clientId,
    brokers: [...settings.brokers],
    ssl: settings.tls,
    connectionTimeout: settings.connectTimeoutMs,
    // A SASL handshake is a round trip like any request.
    authenticationTimeout: settings.requestTimeoutMs,
    requestTimeout: settings.requestTimeoutMs,
    enforceRequestTimeout: true,
    retry: retryOptions(settings),
    logLevel: options.logLevel ?? logLevel.ERROR,
    ...(options.logCreator === undefined ? {} : { logCreator: options.logCreator }),
  };
  if (settings.auth === "none") return config;
  return {
    ...config,
    sasl: {
      mechanism: "oauthbearer",
      oauthBearerProvider:
        options.oauthBearerProvider ?? mskIamTokenProvider({ region: settings.region }),
    },
  };
};
