/**
 * Runs groups of work with bounded concurrency while keeping each group strictly in order:
 * at most `concurrency` groups run at once, and within a group an item starts only after the
 * previous one finished. A semaphore over all items (the Python original) lets two items of
 * one key overtake each other; a worker per group cannot.
 *
 * An item that fails (`process` answers `false`) holds back the rest of its group: they are
 * returned as `blocked`, so a key's later records are never applied before an earlier one.
 * Once `canStart` says no, nothing new starts, and every item not yet started is returned as
 * `notStarted`. `process` must not throw.
 *
 * `process` is always called from a job of the run's own (a microtask of one of its
 * workers), never from the caller's synchronous code, and nothing of the caller runs after it
 * in that job. So `process` may set the async context for the rest of its job
 * (`enterRecordContextForJob`) without it reaching the caller. The worker's own steps after it
 * (asking `canStart`, taking the next item, of its group or the next) run in that context too,
 * until the next `process` sets its own; they log nothing.
 *
 * @example
 * ```ts
 * const { blocked, notStarted } = await runKeyOrdered(groups, {
 *   concurrency: 16,
 *   canStart: () => context.getRemainingTimeInMillis() > 5_000,
 *   process: async (index) => apply(records[index]),
 * });
 * ```
 */

export interface KeyOrderedRunOptions<T> {
  readonly concurrency: number;
  /** Asked before each item starts. */
  readonly canStart: () => boolean;
  /** `true` when the item is done (whatever its outcome), `false` when its group must stop. */
  readonly process: (item: T) => Promise<boolean>;
}

export interface KeyOrderedRunResult<T> {
  /** Items after a failed item of their group. */
  readonly blocked: T[];
  /** Items never started because time ran out. */
  readonly notStarted: T[];
}

export const runKeyOrdered = async <T>(
  groups: readonly (readonly T[])[],
  options: KeyOrderedRunOptions<T>,
): Promise<KeyOrderedRunResult<T>> => {
  const blocked: T[] = [];
  const notStarted: T[] = [];
  let nextGroup = 0;
  let stopped = false;

  const runGroup = async (group: readonly T[]): Promise<void> => {
    for (let position = 0; position < group.length; position += 1) {
      stopped ||= !options.canStart();
      if (stopped) {
        notStarted.push(...group.slice(position));
        return;
      }
      if (!(await options.process(group[position] as T))) {
        blocked.push(...group.slice(position + 1));
        return;
      }
    }
  };

  const worker = async (): Promise<void> => {
    // Leave the caller's job first: from here on the lane runs in microtasks of its own.
    await Promise.resolve();
    while (nextGroup < groups.length) {
      const group = groups[nextGroup] ?? [];
      nextGroup += 1;
      await runGroup(group);
    }
  };

  const workers = Math.max(1, Math.min(options.concurrency, groups.length));
  await Promise.all(Array.from({ length: workers }, worker));
  return { blocked, notStarted };
};
