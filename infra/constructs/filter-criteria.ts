/**
 * Event filter patterns of the declaration in the form an event source mapping takes: each
 * pattern JSON-encoded in its own filter (filters are OR-ed; `refuseInvalidMapping` checks
 * their number and form before a mapping is built). Kafka patterns match
 * the JSON `value` of a record, stream patterns `eventName` and `dynamodb.*`; the declaration
 * already spells them that way, so they pass through unchanged.
 *
 * @example
 * ```ts
 * filterCriteria([{ value: { event_type: ["OrderCreated"] } }]);
 * // [{ pattern: '{"value":{"event_type":["OrderCreated"]}}' }]
 * ```
 */
import type { FilterPattern } from "../wiring/types";

/** `undefined` when there is no pattern: the mapping then delivers every record. */
export const filterCriteria = (
  patterns: readonly FilterPattern[],
): { pattern: string }[] | undefined => {
  return patterns.length === 0
    ? undefined
    : patterns.map((pattern) => ({ pattern: JSON.stringify(pattern) }));
};
