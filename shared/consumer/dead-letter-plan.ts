/**
 * Decides which poison records to dead-letter now and which to leave for the redelivery.
 *
 * Lambda delivers a partition again from its lowest failed offset (on-demand mode: the whole
 * batch). A poison record at or behind that point comes back, and dead-lettering it now would
 * put it in the dead-letter topic twice. So it is held back and reported as not done with the
 * failures; the redelivery dead-letters it once. Poison ahead of every failure of its
 * partition goes now.
 */
import { type KafkaRecordOrigin, topicPartition } from "../kafka/kafka-record";
import type { ConsumerMode } from "./types";

type Origin = Pick<KafkaRecordOrigin, "topic" | "partition" | "offset">;

/**
 * The poison to dead-letter now, in offset order, and the poison to leave for Lambda.
 *
 * @example
 * ```ts
 * const plan: DeadLetterPlan<FailedRecord> = { now: [first], deferred: [behindAFailure] };
 * ```
 */
export interface DeadLetterPlan<P> {
  readonly now: P[];
  readonly deferred: P[];
}

/**
 * In offset order within each partition: when a send stops part-way, every letter already
 * sent lies below the unsent ones of its partition, so Lambda's retry from the lowest unsent
 * offset never dead-letters a record twice.
 */
const byOrigin = (a: { readonly record: Origin }, b: { readonly record: Origin }): number =>
  a.record.topic.localeCompare(b.record.topic) ||
  a.record.partition - b.record.partition ||
  a.record.offset - b.record.offset;

/**
 * Splits the poison by whether Lambda will deliver it again: every poison record in
 * on-demand mode once anything is not done, else those behind their partition's lowest
 * record not done.
 *
 * @example
 * ```ts
 * const { now, deferred } = planDeadLetters(poison, notDone, "provisioned");
 * ```
 */
export const planDeadLetters = <P extends { readonly record: Origin }>(
  poison: readonly P[],
  notDone: readonly Origin[],
  mode: ConsumerMode,
): DeadLetterPlan<P> => {
  if (notDone.length === 0) return { now: [...poison].sort(byOrigin), deferred: [] };
  if (mode === "on-demand") return { now: [], deferred: [...poison] };
  const lowestNotDone = new Map<string, number>();
  for (const record of notDone) {
    const partition = topicPartition(record);
    lowestNotDone.set(
      partition,
      Math.min(lowestNotDone.get(partition) ?? record.offset, record.offset),
    );
  }
  const now: P[] = [];
  const deferred: P[] = [];
  for (const entry of poison) {
    const lowest = lowestNotDone.get(topicPartition(entry.record));
    if (lowest !== undefined && entry.record.offset > lowest) deferred.push(entry);
    else now.push(entry);
  }
  return { now: now.sort(byOrigin), deferred };
};
