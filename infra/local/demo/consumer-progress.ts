/**
 * How far each Kafka event source mapping of the topic got, from its consumer group's
 * committed offsets (Lambda commits only after a batch succeeded, filtered-out records
 * included): the run's records its filters matched and it committed past (delivered to its
 * function), all the run's records it committed past, and what it has left (lag).
 *
 * @example
 * ```ts
 * consumerProgress(mapping, observation); // { functionName: "order-created", delivered: 6, committed: 20, lag: 0, ... }
 * ```
 */
import { kafkaFilterDocument, matchesAnyFilter } from "../runtime/filter-patterns";
import type { DemoObservation, MappingObservation } from "./demo-observation";

export interface ConsumerProgress {
  readonly functionName: string;
  readonly groupId: string;
  /** The run's records its filters match and its group committed past. */
  readonly delivered: number;
  /** The run's records its group committed past, filtered out or not. */
  readonly committed: number;
  /** Records of the topic its group has not committed yet, over all partitions. */
  readonly lag: number;
}

export const consumerProgress = (
  mapping: MappingObservation,
  observation: Pick<DemoObservation, "records" | "end">,
): ConsumerProgress => {
  // A partition the group never committed on is read from its start: offset 0.
  const committedOf = (partition: number): number => mapping.committed.get(partition) ?? 0;
  const passed = observation.records.filter(
    (record) => record.offset < committedOf(record.partition),
  );
  let lag = 0;
  for (const [partition, end] of observation.end) lag += Math.max(0, end - committedOf(partition));
  return {
    functionName: mapping.functionName,
    groupId: mapping.groupId,
    delivered: passed.filter((record) =>
      matchesAnyFilter(mapping.filters, kafkaFilterDocument(record.value)),
    ).length,
    committed: passed.length,
    lag,
  };
};
