/**
 * A function's environment on AWS: its declared settings, plus the physical names the
 * declaration leaves out (tables and buckets by their declared variables, the IAM bootstrap
 * brokers), the Kafka connection mode of MSK (`KAFKA_AUTH=iam`, `KAFKA_TLS=true`), the
 * consumer mode of its mapping, and the metrics namespace. The local runtime fills the same
 * variables with local values.
 *
 * @example
 * ```ts
 * functionEnvironment(fn, { tableName: (t) => tables.get(t).tableName, ... });
 * // { POWERTOOLS_SERVICE_NAME: "order-created", READ_MODEL_TABLE_NAME: "...", KAFKA_AUTH: "iam", ... }
 * ```
 */
import { DEFAULT_METRICS_NAMESPACE } from "../../shared/observability/constants";
import type { FunctionDeclaration } from "../wiring/types";
import { hasKafkaAccess, kafkaTriggerOf } from "./declaration-queries";

export interface PhysicalNames {
  readonly tableName: (logicalName: string) => string;
  readonly bucketName: (logicalName: string) => string;
  /** Comma-separated `host:port` list of the IAM listener. */
  readonly kafkaBrokers: string;
}

export const functionEnvironment = (
  fn: FunctionDeclaration,
  names: PhysicalNames,
): Record<string, string> => {
  const trigger = kafkaTriggerOf(fn);
  return {
    POWERTOOLS_METRICS_NAMESPACE: DEFAULT_METRICS_NAMESPACE,
    ...fn.environment,
    ...Object.fromEntries(
      (fn.access.tables ?? []).map((t) => [t.environmentVariable, names.tableName(t.table)]),
    ),
    ...Object.fromEntries(
      (fn.access.buckets ?? []).map((b) => [b.environmentVariable, names.bucketName(b.bucket)]),
    ),
    ...(hasKafkaAccess(fn)
      ? { KAFKA_BROKERS: names.kafkaBrokers, KAFKA_AUTH: "iam", KAFKA_TLS: "true" }
      : {}),
    ...(trigger === undefined ? {} : { CONSUMER_MODE: trigger.mode.kind }),
  };
};
