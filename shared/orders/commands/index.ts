/**
 * The registry of order commands: the one list of what the API can do to an order. Each
 * command is a module of its own (request schema, pure decision, route); the API's route
 * table and the wiring's HTTP routes derive from this list, and so do the order's statuses
 * and fields.
 *
 * @example
 * ```ts
 * for (const command of Object.values(orderTransitions)) command.route.path; // "/orders/{id}/ship", ...
 * ```
 */
import type { EventContract } from "../../events";
import { cancelOrder } from "./cancel-order";
import type { TransitionCommand } from "./order-command";
import { placeOrder } from "./place-order";
import { shipOrder } from "./ship-order";

export type {
  ApiRoute,
  OrderFieldValues,
  TransitionCommand,
  TransitionOutcome,
} from "./order-command";
export { defineTransition } from "./order-command";
export type { CreationCommand, PlacementContext, PlaceOrder } from "./place-order";
export { placeOrderRequestSchema } from "./place-order";
export { cancelOrder, placeOrder, shipOrder };

/** The commands that move an existing order, keyed by name. */
export const orderTransitions = { ship: shipOrder, cancel: cancelOrder } as const;

type Transitions = typeof orderTransitions;

/** The statuses an order can have: CREATED and every transition's target. */
export type OrderStatus = "CREATED" | Transitions[keyof Transitions]["to"];

type FieldsOf<C> = C extends TransitionCommand<infer _R, infer _C, infer _To, infer F> ? F : never;
type Intersection<U> = (U extends unknown ? (part: U) => void : never) extends (
  whole: infer I,
) => void
  ? I
  : never;

/** Any transition of the registry, its request type erased: what generic code (routes) takes. */
export type OrderTransition = TransitionCommand<unknown, EventContract, OrderStatus>;

/** The fields transitions set on an order (each present once its transition happened). */
export type OrderDetails = Intersection<FieldsOf<Transitions[keyof Transitions]>>;

/** Every command's route, the creation first: what the API serves and the wiring declares. */
export const orderCommandRoutes = [
  placeOrder.route,
  ...Object.values(orderTransitions).map((command) => command.route),
];
