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
import {
  type KafkaRecord,
  type KEY_BASE64,
  keyIdentityOf,
  topicPartition,
} from "../kafka/kafka-record";

type Keyed = Pick<KafkaRecord, "topic" | "partition" | "key" | typeof KEY_BASE64>;

/** A key's identity (`keyIdentityOf`); `null` (no key) is a Map key of its own, apart from "". */
type KeyText = string | null;

/** The indexes of `records`, grouped by ordering key, in first-seen order. */
export const groupByOrderingKey = (records: readonly Keyed[]): number[][] => {
  const groups: number[][] = [];
  const partitions = new Map<string, Map<KeyText, number[]>>();
  // Lambda lists a topic-partition's records together: its key map is looked up once per run
  // of them, not once per record.
  let keys: Map<KeyText, number[]> | undefined;
  let previous: Keyed | undefined;
  records.forEach((record, index) => {
    if (
      keys === undefined ||
      record.partition !== previous?.partition ||
      record.topic !== previous.topic
    ) {
      const id = topicPartition(record);
      keys = partitions.get(id) ?? new Map<KeyText, number[]>();
      partitions.set(id, keys);
    }
    previous = record;
    const key = keyIdentityOf(record);
    const group = keys.get(key);
    if (group === undefined) {
      const created = [index];
      keys.set(key, created);
      groups.push(created);
    } else group.push(index);
  });
  return groups;
};
