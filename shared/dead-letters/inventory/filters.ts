/**
 * The filters `list`, `redrive` and `purge` share: by id, place, kind, function, event type,
 * failed since, failed before (for purge's `--older-than`), and a limit, applied in that
 * order to the newest-first list.
 *
 * @example
 * ```ts
 * selectEntries(entries, { place: ["dlq"], since: new Date("2026-12-01T00:00:00Z"), limit: 10 });
 * ```
 */
import type { DeadLetterEntry } from "./types";

/** Every field optional; a list field matches any of its values. */
export interface DeadLetterFilters {
  readonly id?: readonly string[];
  readonly place?: readonly string[];
  readonly kind?: readonly string[];
  readonly function?: readonly string[];
  readonly eventType?: readonly string[];
  /** Last failure at or after. */
  readonly since?: Date;
  /** Last failure before. */
  readonly before?: Date;
  readonly limit?: number;
}

const matches = (allowed: readonly string[] | undefined, value: string | null): boolean =>
  allowed === undefined || allowed.length === 0 || (value !== null && allowed.includes(value));

/** The entries that pass every filter, in their order, at most `limit` of them. */
export const selectEntries = (
  entries: readonly DeadLetterEntry[],
  filters: DeadLetterFilters,
): DeadLetterEntry[] => {
  const selected = entries.filter(({ summary }) => {
    const at = new Date(summary.last_failure_at);
    return (
      matches(filters.id, summary.id) &&
      matches(filters.place, summary.place) &&
      matches(filters.kind, summary.kind) &&
      matches(filters.function, summary.function) &&
      matches(filters.eventType, summary.event_type) &&
      (filters.since === undefined || at >= filters.since) &&
      (filters.before === undefined || at < filters.before)
    );
  });
  return filters.limit === undefined ? selected : selected.slice(0, filters.limit);
};
