/**
 * The reader of a function that consumes some event types: a record of one of its types is
 * validated against its contract (an event, or poison that names the broken field); every
 * other record is another function's (see `record-ownership`) and is left alone, without
 * validating it.
 */
import type { AnyEventOf, EventContracts } from "../events";
import { decodeRecordValue, parseRecordValue } from "../kafka/decode-kafka-event";
import { FOREIGN_RECORD, filteredEventTypeOf } from "./record-ownership";
import type { RecordReader } from "./types";

/**
 * The reader of records of `eventTypes`, each read against its contract in `contracts`.
 * Throws when a type has no contract.
 *
 * @example
 * ```ts
 * const read = ownedEventReader(orderEventContracts, ["OrderCreated"]);
 * read(record); // { kind: "event", event } | { kind: "poison", error } | { kind: "foreign" }
 * ```
 */
export const ownedEventReader = <C extends EventContracts>(
  contracts: C,
  eventTypes: readonly string[],
): RecordReader<AnyEventOf<C>> => {
  const unknown = eventTypes.filter((eventType) => !Object.hasOwn(contracts, eventType));
  if (unknown.length > 0) throw new Error(`No contract for event types: ${unknown.join(", ")}`);
  const owned: ReadonlySet<string> = new Set(eventTypes);

  return (record) => {
    const parsed = parseRecordValue(record);
    if (parsed.status === "failed") return FOREIGN_RECORD;
    const eventType = filteredEventTypeOf(parsed);
    if (eventType === undefined || !owned.has(eventType)) return FOREIGN_RECORD;
    const decoded = decodeRecordValue(contracts, record, parsed.value);
    return decoded.status === "decoded"
      ? { kind: "event", event: decoded.event }
      : { kind: "poison", error: decoded.error };
  };
};
