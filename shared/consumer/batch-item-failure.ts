/**
 * The partial batch response of a Kafka-triggered function (see docs/architecture.md, Lambda
 * event sources), built in this one place:
 * `{batchItemFailures: [{itemIdentifier: {partition: "<topic>-<partition>", offset}}]}`. An
 * older AWS page names the field `topic-partition`; Lambda reads `partition`, and an
 * identifier it cannot match fails the whole batch, so the shape lives here and nowhere else.
 */
import { type KafkaRecordOrigin, topicPartition } from "../kafka/kafka-record";

/**
 * One record that Lambda must deliver again, as a Kafka partial batch response names it.
 *
 * @example
 * ```ts
 * const failure: KafkaBatchItemFailure = { itemIdentifier: { partition: "order-events-2", offset: 41 } };
 * ```
 */
export interface KafkaBatchItemFailure {
  readonly itemIdentifier: { readonly partition: string; readonly offset: number };
}

/**
 * What a Kafka consumer answers Lambda: the records it must deliver again (none: the batch
 * succeeded).
 *
 * @example
 * ```ts
 * const response: KafkaBatchResponse = { batchItemFailures: [] };
 * ```
 */
export interface KafkaBatchResponse {
  readonly batchItemFailures: readonly KafkaBatchItemFailure[];
}

type Origin = Pick<KafkaRecordOrigin, "topic" | "partition" | "offset">;

/**
 * The identifier of one record that Lambda must deliver again.
 *
 * @example
 * ```ts
 * kafkaBatchItemFailure({ topic: "order-events", partition: 2, offset: 41 });
 * // { itemIdentifier: { partition: "order-events-2", offset: 41 } }
 * ```
 */
export const kafkaBatchItemFailure = (record: Origin): KafkaBatchItemFailure => ({
  itemIdentifier: { partition: topicPartition(record), offset: record.offset },
});

/**
 * The response naming `failed` records by topic-partition and offset, in that order.
 *
 * @example
 * ```ts
 * kafkaBatchResponse([]); // { batchItemFailures: [] }: the whole batch is done
 * kafkaBatchResponse(notDone); // Lambda delivers these again
 * ```
 */
export const kafkaBatchResponse = (failed: readonly Origin[]): KafkaBatchResponse => ({
  batchItemFailures: [...failed]
    .sort(
      (a, b) => a.topic.localeCompare(b.topic) || a.partition - b.partition || a.offset - b.offset,
    )
    .map(kafkaBatchItemFailure),
});
