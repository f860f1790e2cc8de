/**
 * Work run one at a time per key, in the order it asked, and at once across keys: a small
 * queue per key, gone when empty. A turn is waited for at most `maxWaitMs`; work that waited
 * longer does not run and fails with `timeoutError(key)`, so a hung predecessor cannot hold a
 * whole line past the caller's time budget. The next in line still waits for the work ahead
 * that does run.
 *
 * @example
 * ```ts
 * const turns = keyedTurns({ maxWaitMs: 5_000, timeoutError: (key) => new Error(`${key} is busy`) });
 * await Promise.all([turns.run("c-1", first), turns.run("c-1", second)]); // second after first
 * ```
 */

/**
 * How long a turn is waited for, and what waiting too long fails with.
 *
 * @example
 * ```ts
 * const options: KeyedTurnsOptions = { maxWaitMs: 5_000, timeoutError: (key) => new Error(key) };
 * ```
 */
export interface KeyedTurnsOptions {
  readonly maxWaitMs: number;
  readonly timeoutError: (key: string) => Error;
}

/**
 * Runs work one at a time per key.
 *
 * @example
 * ```ts
 * const applied = await turns.run(customerId, () => client.send(command));
 * ```
 */
export interface KeyedTurns {
  run<T>(key: string, work: () => Promise<T>): Promise<T>;
}

/** Resolves when `before` does, or rejects with `error()` after `timeoutMs`. */
const waitWithin = async (
  before: Promise<void>,
  timeoutMs: number,
  error: () => Error,
): Promise<void> => {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(error()), timeoutMs);
  });
  try {
    await Promise.race([before, expired]);
  } finally {
    clearTimeout(timer);
  }
};

/**
 * An empty set of queues.
 *
 * @example
 * ```ts
 * const turns = keyedTurns({ maxWaitMs: 5_000, timeoutError: (key) => new BusyError(key) });
 * ```
 */
export const keyedTurns = (options: KeyedTurnsOptions): KeyedTurns => {
  /** Per key, settles when the last work in line is done (never rejects). */
  const lines = new Map<string, Promise<void>>();
  return {
    async run(key, work) {
      const ahead = lines.get(key);
      let done: () => void = () => undefined;
      const mine = new Promise<void>((resolve) => {
        done = resolve;
      });
      const line = ahead === undefined ? mine : ahead.then(() => mine);
      lines.set(key, line);
      try {
        if (ahead !== undefined) {
          await waitWithin(ahead, options.maxWaitMs, () => options.timeoutError(key));
        }
        return await work();
      } finally {
        done();
        if (lines.get(key) === line) lines.delete(key);
      }
    },
  };
};
