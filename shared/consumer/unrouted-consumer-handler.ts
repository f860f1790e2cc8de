/**
 * The handler of the unrouted function: its trigger has no filter, and it dead-letters
 * exactly the records that no event type's filter matches (not JSON, no or an unknown
 * `event_type`), which every filtered trigger skips silently. Records of routed types are
 * skipped here: their own function applies or dead-letters them.
 */
import { type KafkaConsumerHandlerOptions, kafkaConsumerHandler } from "./kafka-consumer-handler";
import { unroutedRecordReader } from "./unrouted-record-reader";

/**
 * The options of {@link unroutedConsumerHandler}: every routed event type, and what every
 * consumer handler takes but a reader and an effect.
 *
 * @example
 * ```ts
 * const options: UnroutedConsumerHandlerOptions = {
 *   ...consumerFunctionEdges("unrouted-events"), routedEventTypes: orderEventTypes,
 * };
 * ```
 */
export interface UnroutedConsumerHandlerOptions
  extends Omit<KafkaConsumerHandlerOptions<never>, "read" | "apply"> {
  /** Every event type some function consumes. */
  readonly routedEventTypes: readonly string[];
}

/**
 * The Lambda handler of the unrouted function.
 *
 * @example
 * ```ts
 * export const handler = unroutedConsumerHandler({
 *   functionName: "unrouted-events", routedEventTypes: orderEventTypes,
 *   settings, deadLetters: sharedProducer(kafkaSettings), logger, metrics,
 * });
 * ```
 */
export const unroutedConsumerHandler = (options: UnroutedConsumerHandlerOptions) => {
  const { routedEventTypes, ...rest } = options;
  return kafkaConsumerHandler<never>({
    ...rest,
    read: unroutedRecordReader(routedEventTypes),
    // The reader yields no events: every record it owns is poison.
    apply: async (event) => event,
  });
};
