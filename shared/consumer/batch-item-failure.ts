/**
 * The partial batch response of a Kafka-triggered function (DESIGN §7), built in this one
 * place: `{batchItemFailures: [{itemIdentifier: {partition: "<topic>-<partition>", offset}}]}`.
 * An older AWS page names the field `topic-partition`; Lambda reads `partition`, and an
 * identifier it cannot match fails the whole batch, so the shape lives here and nowhere else.
 *
 * @example
 * ```ts
 * kafkaBatchItemFailure({ topic: "order-events", partition: 2, offset: 41 });
 * // { itemIdentifier: { partition: "order-events-2", offset: 41 } }
 * ```
 */
import { type KafkaRecordOrigin, topicPartition } from "../kafka/kafka-record";

export interface KafkaBatchItemFailure {
  readonly itemIdentifier: { readonly partition: string; readonly offset: number };
}

export interface KafkaBatchResponse {
  readonly batchItemFailures: readonly KafkaBatchItemFailure[];
}

type Origin = Pick<KafkaRecordOrigin, "topic" | "partition" | "offset">;

/** The identifier of one record that Lambda must deliver again. */
export const kafkaBatchItemFailure = (record: Origin): KafkaBatchItemFailure => ({
  itemIdentifier: { partition: topicPartition(record), offset: record.offset },
});

/** The response naming `failed` records, by topic-partition and offset (none: the batch succeeded). */
export const kafkaBatchResponse = (failed: readonly Origin[]): KafkaBatchResponse => ({
  batchItemFailures: [...failed]
    .sort(
      (a, b) => a.topic.localeCompare(b.topic) || a.partition - b.partition || a.offset - b.offset,
    )
    .map(kafkaBatchItemFailure),
});
