/**
 * Groups a batch's records by what must stay in order: records of one key in one
 * topic-partition (Kafka orders a key's records only within its partition). Records without a
 * key share their topic-partition's group, since nothing else says they are independent; an
 * empty key is a key like any other, apart from no key. Groups keep the batch's order, which
 * Lambda gives by offset within each partition.
 */
import type { KafkaRecord } from "../kafka/kafka-record";

type Keyed = Pick<KafkaRecord, "topic" | "partition" | "key">;

/** Equal exactly for records of one topic-partition whose keys have the same bytes. */
const orderingKeyOf = (record: Keyed): string =>
  JSON.stringify([
    record.topic,
    record.partition,
    record.key === null ? null : record.key.toString("base64"),
  ]);

/**
 * The indexes of `records`, grouped by ordering key, groups in first-seen order.
 *
 * @example
 * ```ts
 * groupByOrderingKey(records);
 * // [[0, 2], [1], [3]]  (records 0 and 2 share a key in one partition)
 * ```
 */
export const groupByOrderingKey = (records: readonly Keyed[]): number[][] => {
  const groups = new Map<string, number[]>();
  for (const [index, record] of records.entries()) {
    const key = orderingKeyOf(record);
    const group = groups.get(key);
    if (group === undefined) groups.set(key, [index]);
    else group.push(index);
  }
  return [...groups.values()];
};
