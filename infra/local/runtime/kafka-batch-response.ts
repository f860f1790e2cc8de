/**
 * Reads a Kafka function's partial batch response (see `docs/architecture.md`, section
 * "Lambda event sources"):
 * `{batchItemFailures: [{itemIdentifier: {partition: "<topic>-<partition>", offset}}]}`.
 * Every identifier must name a record of the batch; otherwise the whole batch failed. Per
 * partition, the lowest failed offset is where Lambda resumes: that record and the later
 * ones of its partition are retried, everything else in the batch succeeded.
 *
 * @example
 * ```ts
 * const verdict = readKafkaBatchResponse(response, batch);
 * if (verdict.kind === "partial") retry(verdict.failed);
 * ```
 */

import { isJsonObject } from "./is-json-object";
import type { PolledRecord } from "./kafka-lambda-event";

/** What the response says of the batch: all succeeded, which records failed, or unreadable. */
export type KafkaBatchVerdict =
  | { readonly kind: "success" }
  | {
      readonly kind: "partial";
      readonly failed: readonly PolledRecord[];
      readonly succeeded: readonly PolledRecord[];
    }
  | { readonly kind: "invalid"; readonly reason: string };

/** Reads the function's response to `batch`. */
export const readKafkaBatchResponse = (
  response: unknown,
  batch: readonly PolledRecord[],
): KafkaBatchVerdict => {
  if (!isJsonObject(response) || response.batchItemFailures == null) return { kind: "success" };
  const failures = response.batchItemFailures;
  if (!Array.isArray(failures))
    return { kind: "invalid", reason: "batchItemFailures is not a list" };
  if (failures.length === 0) return { kind: "success" };
  const lowestFailed = new Map<string, number>();
  for (const failure of failures) {
    const identifier = isJsonObject(failure) ? failure.itemIdentifier : undefined;
    if (
      !isJsonObject(identifier) ||
      typeof identifier.partition !== "string" ||
      typeof identifier.offset !== "number"
    ) {
      return { kind: "invalid", reason: `malformed itemIdentifier ${JSON.stringify(identifier)}` };
    }
    const { partition, offset } = identifier;
    const known = batch.some(
      ({ record }) =>
        `${record.topic}-${record.partition}` === partition && record.offset === offset,
    );
    if (!known)
      return {
        kind: "invalid",
        reason: `itemIdentifier ${partition}@${offset} is not in the batch`,
      };
    lowestFailed.set(partition, Math.min(lowestFailed.get(partition) ?? offset, offset));
  }
  const isFailed = ({ record }: PolledRecord) => {
    const lowest = lowestFailed.get(`${record.topic}-${record.partition}`);
    return lowest !== undefined && record.offset >= lowest;
  };
  return {
    kind: "partial",
    failed: batch.filter(isFailed),
    succeeded: batch.filter((record) => !isFailed(record)),
  };
};
