/**
 * Event contracts and the values they carry: typed, versioned events in one envelope
 * (`defineEventContract`), built by `createEvent` and read back by `readEvent`, with exact
 * money arithmetic and well-formed text for their fields. See docs/architecture.md, Event
 * contract.
 *
 * @example
 * ```ts
 * import { createEvent, readEvent } from "../events";
 *
 * const event = createEvent(orderEventContracts.OrderCreated, { aggregateId, aggregateVersion: 1, data });
 * const read = readEvent(orderEventContracts, JSON.stringify(event));
 * ```
 */
export { InvalidEventError, MalformedEventError, UnknownEventTypeError } from "./errors";
export {
  type AnyEventOf,
  defineEventContract,
  type Envelope,
  type EventContract,
  type EventContracts,
  type EventOf,
  envelopeSchema,
  isoUtcTimestamp,
  type Upcaster,
} from "./event-contract";
export { createEvent, type NewEvent } from "./event-factory";
export {
  currencySchema,
  formatMoney,
  isSumOfProducts,
  MONEY_SCALE,
  type MoneyLine,
  moneyEquals,
  moneySchema,
  multiplyMoney,
  negateMoney,
  sumMoney,
  sumOfProducts,
} from "./money";
export { readEvent } from "./read-event";
export { textSchema } from "./text";
