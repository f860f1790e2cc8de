/**
 * A function's environment, derived from its declaration the same way in AWS (CDK) and on
 * one machine (the local runtime): its declared settings, the physical names of the tables
 * and buckets it may use (by their declared variables), the Kafka connection when it touches
 * Kafka, the topics it may produce to (`KAFKA_PRODUCE_TOPICS`, its `access.kafka.produceTo`,
 * which its IAM grants allow too), the consumer mode of its Kafka trigger with the bounds on
 * transient failures derived from that mapping (`consumerBoundsOf`), and the metrics
 * namespace. Each caller supplies only what differs: physical names and how Kafka is reached.
 *
 * @example
 * ```ts
 * functionEnvironment(fn, { tableName: (t) => t, bucketName: (b) => b,
 *   kafka: { brokers: "127.0.0.1:9092", auth: "none", tls: false } });
 * // { POWERTOOLS_SERVICE_NAME: "order-created", READ_MODEL_TABLE_NAME: "order-read-model", ... }
 * ```
 */
import { consumerBoundsEnvironment } from "../../shared/consumer/consumer-bounds";
import { DEFAULT_METRICS_NAMESPACE } from "../../shared/observability/constants";
import type { FunctionDeclaration } from "./types";

/** What differs between deployments: physical names, and how Kafka is reached. */
export interface DeployedNames {
  readonly tableName: (logicalName: string) => string;
  readonly bucketName: (logicalName: string) => string;
  readonly kafka: {
    /** Comma-separated `host:port` list. */
    readonly brokers: string;
    readonly auth: "none" | "iam";
    readonly tls: boolean;
  };
}

/** The topics a function may produce to, comma-separated; nothing when there are none. */
const produceTopicsVariable = (fn: FunctionDeclaration): Record<string, string> => {
  const topics = fn.access.kafka?.produceTo ?? [];
  return topics.length === 0 ? {} : { KAFKA_PRODUCE_TOPICS: topics.join(",") };
};

/** The environment variables of `fn` in the deployment `names` describes. */
export const functionEnvironment = (
  fn: FunctionDeclaration,
  names: DeployedNames,
): Record<string, string> => ({
  POWERTOOLS_METRICS_NAMESPACE: DEFAULT_METRICS_NAMESPACE,
  ...fn.environment,
  ...Object.fromEntries(
    (fn.access.tables ?? []).map((t) => [t.environmentVariable, names.tableName(t.table)]),
  ),
  ...Object.fromEntries(
    (fn.access.buckets ?? []).map((b) => [b.environmentVariable, names.bucketName(b.bucket)]),
  ),
  ...(fn.access.kafka === undefined
    ? {}
    : {
        KAFKA_BROKERS: names.kafka.brokers,
        KAFKA_AUTH: names.kafka.auth,
        KAFKA_TLS: String(names.kafka.tls),
      }),
  ...produceTopicsVariable(fn),
  ...(fn.trigger?.kind === "kafka"
    ? { CONSUMER_MODE: fn.trigger.mode.kind, ...consumerBoundsEnvironment(fn.trigger.mode) }
    : {}),
});
