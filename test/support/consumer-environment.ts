/**
 * The environment a consumer function reads at cold start, pointed at the real broker and
 * moto, for tests that import a handler afterwards. `extra` adds or overrides variables.
 */
import { kafkaBrokers, useMotoForAwsClients } from "./local-endpoints";

export const useConsumerEnvironment = (
  settings: {
    readonly readModelTable: string;
    readonly deadLetterTopic: string;
    readonly mode: "provisioned" | "on-demand";
  },
  extra: Readonly<Record<string, string>> = {},
): void => {
  useMotoForAwsClients();
  Object.assign(process.env, {
    KAFKA_BROKERS: kafkaBrokers.join(","),
    READ_MODEL_TABLE_NAME: settings.readModelTable,
    DEAD_LETTER_TOPIC: settings.deadLetterTopic,
    CONSUMER_MODE: settings.mode,
    POWERTOOLS_LOG_LEVEL: "ERROR",
    POWERTOOLS_METRICS_DISABLED: "true",
    ...extra,
  });
};
