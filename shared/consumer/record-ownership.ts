/**
 * Which function owns a record, by the rule the triggers' filters apply (see
 * docs/architecture.md, Lambda event sources: a filter matches only a JSON value): a record
 * whose value is a JSON object with a string `event_type` belongs to that type's function;
 * every other record (no value, not JSON, no or a non-string `event_type`, a type no function
 * consumes) belongs to the unrouted function. Both sides use this one rule, so each record
 * has exactly one owner: applied or dead-lettered once, never by two functions, never by none.
 */
import type { ParsedRecordValue } from "../kafka/decode-kafka-event";
import type { RecordReading } from "./types";

/**
 * The `event_type` a trigger filter would match, if the value has one.
 *
 * @example
 * ```ts
 * filteredEventTypeOf(parseRecordValue(record)); // "OrderCreated", or undefined
 * ```
 */
export const filteredEventTypeOf = (parsed: ParsedRecordValue): string | undefined => {
  if (parsed.status === "failed") return undefined;
  const eventType = parsed.value.event_type;
  return typeof eventType === "string" ? eventType : undefined;
};

/**
 * The reading of another function's record; one shared instance, as it carries nothing.
 *
 * @example
 * ```ts
 * if (!owned.has(eventType)) return FOREIGN_RECORD;
 * ```
 */
export const FOREIGN_RECORD: RecordReading<never> = Object.freeze({ kind: "foreign" });
