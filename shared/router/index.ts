/**
 * Typed routing of events to one handler per event type. See `createEventRouter`.
 *
 * @example
 * ```ts
 * import { createEventRouter } from "../router";
 *
 * const router = createEventRouter<OrderEventContracts, EffectContext, EffectOutcome>()
 *   .on("OrderCreated", (event) => readModel.apply(event));
 * ```
 */
export {
  createEventRouter,
  type EventHandler,
  type EventRouter,
  type RouteOutcome,
} from "./event-router";
