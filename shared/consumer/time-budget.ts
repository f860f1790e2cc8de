/**
 * The part of an invocation's time a consumer may spend on records: everything but a safety
 * margin kept for the records still running, the dead-letter send and the response. Based on
 * Lambda's `context.getRemainingTimeInMillis()`.
 *
 * @example
 * ```ts
 * const budget = timeBudget(() => context.getRemainingTimeInMillis(), 5_000);
 * if (!budget.canStart()) reportNotDone(record);
 * ```
 */

export interface TimeBudget {
  /** Milliseconds left in the invocation. */
  remainingMs(): number;
  /** Whether a new record may start. */
  canStart(): boolean;
  /** Whether there is time to wait `delayMs` and then start again. */
  canWait(delayMs: number): boolean;
}

export const timeBudget = (remainingMs: () => number, marginMs: number): TimeBudget => ({
  remainingMs,
  canStart: () => remainingMs() > marginMs,
  canWait: (delayMs) => remainingMs() - delayMs > marginMs,
});
