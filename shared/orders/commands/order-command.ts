/**
 * What an order command is: its HTTP route, its request schema, and its pure decision. Two
 * kinds: the one that creates an order (`POST /orders`), and transitions of an existing
 * order, each allowed from some statuses, leading to one status and yielding one event.
 * Each command is one module under `./`; the registry in `./index.ts` lists them, and the
 * API's route table and the wiring's routes both derive from it.
 *
 * @example
 * ```ts
 * export const shipOrder = defineTransition({
 *   name: "ship",
 *   route: { method: "POST", path: "/orders/{id}/ship" },
 *   request: z.object({ carrier: orderFields.carrier, tracking_number: orderFields.trackingNumber }),
 *   from: ["CREATED"],
 *   to: "SHIPPED",
 *   refusal: "be shipped",
 *   event: orderShipped,
 *   decide: (order, request, at) => ({ data: { ... }, fields: { carrier: request.carrier } }),
 * });
 * ```
 */
import type * as z from "zod/mini";
import type { EventContract } from "../../events";
import type { OrderCore } from "../order";

/** A route of the HTTP API, as API Gateway HTTP API declares it. */
export interface ApiRoute {
  readonly method: "GET" | "POST";
  /** e.g. "/orders/{id}/ship"; `{id}` is the order id. */
  readonly path: string;
}

/** Fields a transition sets on the order, beside status, version and `updated_at`. */
export type OrderFieldValues = Readonly<Record<string, string>>;

/** What a transition decides: its event's payload and the fields it sets on the order. */
export interface TransitionOutcome<C extends EventContract, F extends OrderFieldValues> {
  readonly data: z.input<C["data"]>;
  readonly fields: F;
}

/**
 * A command that moves an existing order from one of `from` to `to`, yielding one event of
 * `event`'s type at the order's next version.
 */
export interface TransitionCommand<
  R = unknown,
  C extends EventContract = EventContract,
  To extends string = string,
  F extends OrderFieldValues = OrderFieldValues,
> {
  readonly kind: "transition";
  /** The verb, e.g. "ship"; names the command in errors and logs. */
  readonly name: string;
  readonly route: ApiRoute;
  /** The request body's schema (snake_case on the wire). */
  readonly request: z.core.$ZodType<R>;
  /** The statuses the command is allowed from; any other is an `IllegalTransitionError`. */
  readonly from: readonly string[];
  /** The order's status after the command. */
  readonly to: To;
  /** How a refusal reads after "cannot", e.g. "be shipped". */
  readonly refusal: string;
  /** The contract of the event the command yields. */
  readonly event: C;
  /** The pure decision: the event's payload and the order's new fields, at time `at` (ISO). */
  decide(order: OrderCore, request: R, at: string): TransitionOutcome<C, F>;
}

/**
 * Declares a transition command, keeping its literal types (status, fields) so the order's
 * status union and fields derive from the registry.
 *
 * @example
 * ```ts
 * const cancelOrder = defineTransition({ name: "cancel", to: "CANCELLED", ... });
 * ```
 */
export const defineTransition = <
  R,
  C extends EventContract,
  const To extends string,
  F extends OrderFieldValues,
>(
  command: Omit<TransitionCommand<R, C, To, F>, "kind">,
): TransitionCommand<R, C, To, F> => ({ kind: "transition", ...command });
