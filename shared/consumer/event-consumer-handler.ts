/**
 * The handler of a function that applies events of its types: records of those types are
 * validated against their contracts and routed to the typed effect registered for their type;
 * all other records are skipped (the trigger's filter should have left them out).
 *
 * @example
 * ```ts
 * export const handler = eventConsumerHandler({
 *   functionName: "order-created",
 *   contracts: orderEventContracts,
 *   router: createEventRouter<OrderEventContracts, EffectContext, EffectOutcome>()
 *     .on("OrderCreated", (event) => readModel.apply(event)),
 *   settings, deadLetters: sharedProducer(kafkaSettings), logger, metrics,
 * });
 * ```
 */
import type { AnyEventOf, EventContracts } from "../events";
import type { EventRouter } from "../router/event-router";
import type { BatchConsumer } from "./consume-kafka-batch";
import { type KafkaConsumerHandlerOptions, kafkaConsumerHandler } from "./kafka-consumer-handler";
import { ownedEventReader } from "./owned-event-reader";
import type { EffectContext, EffectOutcome } from "./types";

export interface EventConsumerHandlerOptions<C extends EventContracts>
  extends Omit<KafkaConsumerHandlerOptions<AnyEventOf<C>>, "read" | "apply"> {
  readonly contracts: C;
  /** One effect per event type this function consumes; its types are the ones it owns. */
  readonly router: EventRouter<C, EffectContext, EffectOutcome>;
}

export const eventConsumerHandler = <C extends EventContracts>(
  options: EventConsumerHandlerOptions<C>,
) => {
  const { contracts, router, ...rest } = options;
  // The handler is called directly, not through `route`: this runs for every record.
  const apply: BatchConsumer<AnyEventOf<C>>["apply"] = (event, context) => {
    const handler = router.handlerOf(event);
    // The reader passes only the router's own types, so this means a router changed under us.
    if (handler === undefined) {
      return Promise.reject(new Error(`No effect for ${String(event.event_type)}`));
    }
    return handler(event, context);
  };
  return kafkaConsumerHandler({
    ...rest,
    read: ownedEventReader(contracts, router.eventTypes),
    apply,
  });
};
