/**
 * Groups a batch's records by what must stay in order: records of one key in one
 * topic-partition (Kafka orders a key's records only within its partition). Records without a
 * key share their topic-partition's group, since nothing else says they are independent.
 * Groups keep the batch's order, which Lambda gives by offset within each partition.
 *
 * @example
 * ```ts
 * groupByOrderingKey(records);
 * // [[0, 2], [1], [3]]  (records 0 and 2 share a key in one partition)
 * ```
 */
import type { KafkaRecord } from "../kafka/kafka-record";

type Keyed = Pick<KafkaRecord, "topic" | "partition" | "key">;

/**
 * The identity of a record's ordering group. The key's bytes as latin1 text keep every key
 * distinct (one character per byte); `null` keys and empty keys differ by their marker.
 */
export const orderingKeyOf = (record: Keyed): string =>
  record.key === null
    ? `${record.topic}\u0000${record.partition}\u0000-`
    : `${record.topic}\u0000${record.partition}\u0000k${record.key.toString("latin1")}`;

/** The indexes of `records`, grouped by ordering key, in first-seen order. */
export const groupByOrderingKey = (records: readonly Keyed[]): number[][] => {
  const groups = new Map<string, number[]>();
  records.forEach((record, index) => {
    const key = orderingKeyOf(record);
    const group = groups.get(key);
    if (group === undefined) groups.set(key, [index]);
    else group.push(index);
  });
  return [...groups.values()];
};
