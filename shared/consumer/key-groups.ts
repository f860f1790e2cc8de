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
import { type KafkaRecord, KEY_BASE64, keyIdentityOf, topicPartition } from "../kafka/kafka-record";

type Keyed = Pick<KafkaRecord, "topic" | "partition" | "key" | typeof KEY_BASE64>;

/** A key's identity (`keyIdentityOf`); `null` (no key) is a Map key of its own, apart from "". */
type KeyText = string | null;

/** One topic-partition's groups by key identity, and by the text a key arrived as. */
interface PartitionGroups {
  readonly byKey: Map<KeyText, number[]>;
  /** Lambda's base64 texts seen so far: a text names its group without working out its identity again. */
  readonly byText: Map<KeyText, number[]>;
}

/** The indexes of `records`, grouped by ordering key, in first-seen order. */
export const groupByOrderingKey = (records: readonly Keyed[]): number[][] => {
  const groups: number[][] = [];
  const partitions = new Map<string, PartitionGroups>();
  // Lambda lists a topic-partition's records together: its groups are looked up once per run
  // of them, not once per record.
  let current: PartitionGroups | undefined;
  let previous: Keyed | undefined;
  records.forEach((record, index) => {
    if (
      current === undefined ||
      record.partition !== previous?.partition ||
      record.topic !== previous.topic
    ) {
      const id = topicPartition(record);
      current = partitions.get(id) ?? { byKey: new Map(), byText: new Map() };
      partitions.set(id, current);
    }
    previous = record;
    const text = record[KEY_BASE64];
    let group = text === undefined ? undefined : current.byText.get(text);
    if (group === undefined) {
      const key = keyIdentityOf(record);
      group = current.byKey.get(key);
      if (group === undefined) {
        group = [];
        current.byKey.set(key, group);
        groups.push(group);
      }
      if (text !== undefined) current.byText.set(text, group);
    }
    group.push(index);
  });
  return groups;
};
