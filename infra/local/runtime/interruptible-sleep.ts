/**
 * Sleeps that a shutdown can cut short: pollers and retry backoffs wait on these, and
 * `wakeAll` ends every wait at once so stopping never waits out a backoff.
 *
 * @example
 * ```ts
 * const sleeps = interruptibleSleeps();
 * await sleeps.sleep(5_000);   // elsewhere: sleeps.wakeAll();
 * ```
 */
/** Sleeps of one component, all cut short by one call. */
export interface InterruptibleSleeps {
  /** Resolves after `ms`, or at the next `wakeAll`. */
  sleep(ms: number): Promise<void>;
  /** Ends every sleep in progress now; later sleeps are not affected. */
  wakeAll(): void;
}

/** A new, independent set of sleeps. */
export const interruptibleSleeps = (): InterruptibleSleeps => {
  const sleepers = new Set<() => void>();
  return {
    sleep: (ms) =>
      new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          sleepers.delete(done);
          resolve();
        };
        const timer = setTimeout(done, Math.max(0, ms));
        sleepers.add(done);
      }),
    wakeAll() {
      for (const wake of [...sleepers]) wake();
    },
  };
};
