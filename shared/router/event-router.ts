/**
 * A typed event router: one handler per event type, with full inference (registering
 * "OrderShipped" gives a handler whose `event.data.tracking_number` is typed). An event of a
 * type without a handler is an explicit `unrouted` outcome, not a crash.
 */
import type { AnyEventOf, EventContracts, EventOf } from "../events";

/**
 * Handles one event of a type.
 *
 * @example
 * ```ts
 * const markShipped: EventHandler<EventOf<OrderEventContracts, "OrderShipped">, void, void> =
 *   async (event) => ship(event.data.tracking_number);
 * ```
 */
export type EventHandler<E, Context, Result> = (event: E, context: Context) => Promise<Result>;

/**
 * What routing one event came to: its handler's result, or no handler for its type.
 *
 * @example
 * ```ts
 * if (outcome.outcome === "handled") outcome.result;
 * ```
 */
export type RouteOutcome<Result> =
  | { readonly outcome: "handled"; readonly eventType: string; readonly result: Result }
  | { readonly outcome: "unrouted"; readonly eventType: string };

/**
 * A router of the events of a contract set, built by {@link createEventRouter}.
 *
 * @example
 * ```ts
 * const router: EventRouter<OrderEventContracts, EffectContext, EffectOutcome> =
 *   createEventRouter<OrderEventContracts, EffectContext, EffectOutcome>().on("OrderCreated", apply);
 * router.eventTypes; // ["OrderCreated"]
 * ```
 */
export interface EventRouter<C extends EventContracts, Context, Result> {
  /** A new router that also sends `eventType` to `handler`. Each type takes one handler. */
  on<T extends keyof C & string>(
    eventType: T,
    handler: EventHandler<EventOf<C, T>, Context, Result>,
  ): EventRouter<C, Context, Result>;
  /** The event types this router handles. */
  readonly eventTypes: readonly string[];
  /** The handler of an event's type, or undefined when none is registered. */
  handlerOf(event: AnyEventOf<C>): EventHandler<AnyEventOf<C>, Context, Result> | undefined;
  route(event: AnyEventOf<C>, context: Context): Promise<RouteOutcome<Result>>;
}

type AnyHandler<Context, Result> = (event: never, context: Context) => Promise<Result>;

const buildRouter = <C extends EventContracts, Context, Result>(
  handlers: ReadonlyMap<string, AnyHandler<Context, Result>>,
): EventRouter<C, Context, Result> => {
  // Registered by `on` for its own type only: the event's type is the handler's.
  const handlerOf = (event: AnyEventOf<C>) =>
    handlers.get((event as { event_type: string }).event_type) as
      | EventHandler<AnyEventOf<C>, Context, Result>
      | undefined;
  return {
    eventTypes: [...handlers.keys()],
    on(eventType, handler) {
      if (handlers.has(eventType))
        throw new Error(`A handler for "${eventType}" is already registered`);
      return buildRouter<C, Context, Result>(new Map([...handlers, [eventType, handler]]));
    },
    handlerOf,
    async route(event, context) {
      const eventType = (event as { event_type: string }).event_type;
      const handler = handlerOf(event);
      if (handler === undefined) return { outcome: "unrouted", eventType };
      return { outcome: "handled", eventType, result: await handler(event, context) };
    },
  };
};

/**
 * An empty router; add a handler per event type with `on`.
 *
 * @example
 * ```ts
 * const router = createEventRouter<OrderEventContracts, HandlerContext, void>()
 *   .on("OrderShipped", async (event) => markShipped(event.data.tracking_number));
 * const outcome = await router.route(event, context);
 * if (outcome.outcome === "unrouted") metrics.addMetric("RecordsSkipped", "Count", 1);
 * ```
 */
export const createEventRouter = <
  C extends EventContracts,
  Context = void,
  Result = void,
>(): EventRouter<C, Context, Result> => buildRouter(new Map());
