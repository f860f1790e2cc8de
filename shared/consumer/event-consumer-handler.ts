/**
 * The handler of a function that applies events of its types: records of those types are
 * validated against their contracts and routed to the typed effect registered for their type;
 * all other records are skipped (the trigger's filter should have left them out).
 */
import type { AnyEventOf, EventContracts } from "../events";
import type { EventRouter } from "../router/event-router";
import { type KafkaConsumerHandlerOptions, kafkaConsumerHandler } from "./kafka-consumer-handler";
import { ownedEventReader } from "./owned-event-reader";
import type { ApplyEvent, EffectContext, EffectOutcome } from "./types";

/**
 * The options of {@link eventConsumerHandler}: the contracts, one effect per owned event type,
 * and what every consumer handler takes.
 *
 * @example
 * ```ts
 * const options: EventConsumerHandlerOptions<OrderEventContracts> = {
 *   ...consumerFunctionEdges("order-created"),
 *   contracts: orderEventContracts,
 *   router: createEventRouter<OrderEventContracts, EffectContext, EffectOutcome>().on("OrderCreated", apply),
 * };
 * ```
 */
export interface EventConsumerHandlerOptions<C extends EventContracts>
  extends Omit<KafkaConsumerHandlerOptions<AnyEventOf<C>>, "read" | "apply"> {
  readonly contracts: C;
  /** One effect per event type this function consumes; its types are the ones it owns. */
  readonly router: EventRouter<C, EffectContext, EffectOutcome>;
}

/**
 * The Lambda handler of a consumer of the router's event types.
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
export const eventConsumerHandler = <C extends EventContracts>(
  options: EventConsumerHandlerOptions<C>,
) => {
  const { contracts, router, ...rest } = options;
  const apply: ApplyEvent<AnyEventOf<C>> = async (event, context) => {
    const routed = await router.route(event, context);
    // The reader passes only the router's own types, so this means a router changed under us.
    if (routed.outcome === "unrouted") throw new Error(`No effect for ${routed.eventType}`);
    return routed.result;
  };
  return kafkaConsumerHandler({
    ...rest,
    read: ownedEventReader(contracts, router.eventTypes),
    apply,
  });
};
