/**
 * A typed event router: one handler per event type, with full inference (registering
 * "OrderShipped" gives a handler whose `event.data.tracking_number` is typed). An event of a
 * type without a handler is an explicit `unrouted` outcome, not a crash.
 *
 * @example
 * ```ts
 * const router = createEventRouter<OrderEventContracts, HandlerContext, void>()
 *   .on("OrderShipped", async (event) => markShipped(event.data.tracking_number));
 * const outcome = await router.route(event, context);
 * if (outcome.outcome === "unrouted") metrics.addMetric("RecordsSkipped", "Count", 1);
 * ```
 */
import type { AnyEventOf, EventContracts, EventOf } from "../events";

export type EventHandler<E, Context, Result> = (event: E, context: Context) => Promise<Result>;

export type RouteOutcome<Result> =
  | { readonly outcome: "handled"; readonly eventType: string; readonly result: Result }
  | { readonly outcome: "unrouted"; readonly eventType: string };

export interface EventRouter<C extends EventContracts, Context, Result> {
  /** A new router that also sends `eventType` to `handler`. Each type takes one handler. */
  on<T extends keyof C & string>(
    eventType: T,
    handler: EventHandler<EventOf<C, T>, Context, Result>,
  ): EventRouter<C, Context, Result>;
  /** The event types this router handles. */
  readonly eventTypes: readonly string[];
  /**
   * The handler of an event's type, to call directly on a hot path: no outcome object and no
   * async step of the router's own per event.
   */
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

export const createEventRouter = <
  C extends EventContracts,
  Context = void,
  Result = void,
>(): EventRouter<C, Context, Result> => buildRouter(new Map());
