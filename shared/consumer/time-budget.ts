/**
 * The part of an invocation's time a consumer may spend on records: everything but a safety
 * margin kept for the records still running, the dead-letter send and the response. Based on
 * Lambda's `context.getRemainingTimeInMillis()`.
 */

/**
 * What a consumer asks of the invocation's time.
 *
 * @example
 * ```ts
 * if (budget.canWait(200)) await sleep(200);
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

/**
 * The budget of an invocation with `remainingMs` left, keeping `marginMs` back.
 *
 * @example
 * ```ts
 * const budget = timeBudget(() => context.getRemainingTimeInMillis(), 8_000);
 * if (!budget.canStart()) reportNotDone(record);
 * ```
 */
export const timeBudget = (remainingMs: () => number, marginMs: number): TimeBudget => ({
  remainingMs,
  canStart: () => remainingMs() > marginMs,
  canWait: (delayMs) => remainingMs() - delayMs > marginMs,
});
