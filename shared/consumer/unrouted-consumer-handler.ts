/**
 * The handler of the unrouted function: its trigger has no filter, and it dead-letters
 * exactly the records that no event type's filter matches (not JSON, no or an unknown
 * `event_type`), which every filtered trigger skips silently. Records of routed types are
 * skipped here: their own function applies or dead-letters them.
 *
 * @example
 * ```ts
 * export const handler = unroutedConsumerHandler({
 *   functionName: "unrouted-events", routedEventTypes: orderEventTypes,
 *   settings, deadLetters: sharedProducer(kafkaSettings), logger, metrics,
 * });
 * ```
 */
import { type KafkaConsumerHandlerOptions, kafkaConsumerHandler } from "./kafka-consumer-handler";
import { unroutedRecordReader } from "./unrouted-record-reader";

export interface UnroutedConsumerHandlerOptions
  extends Omit<KafkaConsumerHandlerOptions<never>, "read" | "apply"> {
  /** Every event type some function consumes. */
  readonly routedEventTypes: readonly string[];
}

export const unroutedConsumerHandler = (options: UnroutedConsumerHandlerOptions) => {
  const { routedEventTypes, ...rest } = options;
  return kafkaConsumerHandler<never>({
    ...rest,
    read: unroutedRecordReader(routedEventTypes),
    // The reader yields no events: every record it owns is poison.
    apply: async (event) => event,
  });
};
