/**
 * Groups a batch's records by what must stay in order: records of one key in one
 * topic-partition (Kafka orders a key's records only within its partition). Records without a
 * key share their topic-partition's group, since nothing else says they are independent; an
 * empty key is a key like any other, apart from no key. Groups keep the batch's order, which
 * Lambda gives by offset within each partition.
 */
import { type KafkaRecord, topicPartition } from "../kafka/kafka-record";

type Keyed = Pick<KafkaRecord, "topic" | "partition" | "key">;

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
  const groups: number[][] = [];
  /** By topic-partition, then by the key's bytes in base64 (`null`: no key). */
  const partitions = new Map<string, Map<string | null, number[]>>();
  for (const [index, record] of records.entries()) {
    const partition = topicPartition(record);
    const keys = partitions.get(partition) ?? new Map<string | null, number[]>();
    partitions.set(partition, keys);
    const key = record.key === null ? null : record.key.toString("base64");
    const group = keys.get(key);
    if (group === undefined) {
      const created = [index];
      keys.set(key, created);
      groups.push(created);
    } else group.push(index);
  }
  return groups;
};
