/**
 * The environment one function gets locally, derived from the wiring exactly as CDK derives
 * it in AWS: its declared settings, the physical names of the tables and buckets it may use,
 * the Kafka connection when it touches Kafka, and the consumer mode of its Kafka trigger;
 * plus the local endpoints. Nothing else of the runtime's environment leaks in.
 *
 * @example
 * ```ts
 * const env = functionEnvironment(declaration, settings, { tableName: (n) => n, bucketName: (n) => n });
 * env.READ_MODEL_TABLE_NAME; // "order-read-model"
 * ```
 */
import type { FunctionDeclaration } from "../../wiring/types";
import type { RuntimeSettings } from "./runtime-settings";

export interface PhysicalNames {
  readonly tableName: (logical: string) => string;
  readonly bucketName: (logical: string) => string;
}

export const functionEnvironment = (
  declaration: FunctionDeclaration,
  settings: RuntimeSettings,
  names: PhysicalNames,
): Record<string, string> => {
  const environment: Record<string, string> = {
    ...settings.passThrough,
    AWS_REGION: settings.region,
    AWS_DEFAULT_REGION: settings.region,
    ...(settings.awsEndpoint === undefined ? {} : { AWS_ENDPOINT_URL: settings.awsEndpoint }),
    // moto serves buckets by path, not by virtual host.
    ...(settings.usesLocalAws ? { S3_FORCE_PATH_STYLE: "true" } : {}),
    ...declaration.environment,
  };
  for (const table of declaration.access.tables ?? []) {
    environment[table.environmentVariable] = names.tableName(table.table);
  }
  for (const bucket of declaration.access.buckets ?? []) {
    environment[bucket.environmentVariable] = names.bucketName(bucket.bucket);
  }
  if (declaration.access.kafka !== undefined) {
    environment.KAFKA_BROKERS = settings.kafkaBrokers;
    environment.KAFKA_AUTH = settings.kafkaAuth;
    environment.KAFKA_TLS = String(settings.kafkaTls);
  }
  if (declaration.trigger?.kind === "kafka")
    environment.CONSUMER_MODE = declaration.trigger.mode.kind;
  return environment;
};
