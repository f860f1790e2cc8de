/**
 * Runs groups of work with bounded concurrency while keeping each group strictly in order:
 * at most `concurrency` groups run at once, and within a group an item starts only after the
 * previous one finished. A semaphore over all items would let two items of one key overtake
 * each other; a worker that takes whole groups cannot.
 */

/**
 * How {@link runKeyOrdered} runs the items.
 *
 * @example
 * ```ts
 * const options: KeyOrderedRunOptions<number> = {
 *   concurrency: 16,
 *   canStart: () => budget.canStart(),
 *   process: async (index) => (await processRecord(records[index], context)).status !== "failed",
 * };
 * ```
 */
export interface KeyOrderedRunOptions<T> {
  readonly concurrency: number;
  /** Asked before each item starts. */
  readonly canStart: () => boolean;
  /**
   * `true` when the item is done (whatever its outcome), `false` when its group must stop.
   * Must not reject: a rejection rejects the whole run.
   */
  readonly process: (item: T) => Promise<boolean>;
}

/**
 * The items {@link runKeyOrdered} did not finish.
 *
 * @example
 * ```ts
 * const { blocked, notStarted } = await runKeyOrdered(groups, options);
 * ```
 */
export interface KeyOrderedRunResult<T> {
  /** Items after a failed item of their group. */
  readonly blocked: T[];
  /** Items never started because time ran out. */
  readonly notStarted: T[];
}

/**
 * Runs every group, each in order, up to `concurrency` groups at once. An item that fails
 * (`process` answers `false`) holds back the rest of its group: they are returned as
 * `blocked`, so a key's later records are never applied before an earlier one. Once
 * `canStart` says no, nothing new starts, and every item not yet started is returned as
 * `notStarted`.
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
export const runKeyOrdered = async <T>(
  groups: readonly (readonly T[])[],
  options: KeyOrderedRunOptions<T>,
): Promise<KeyOrderedRunResult<T>> => {
  const blocked: T[] = [];
  const notStarted: T[] = [];
  let nextGroup = 0;
  let stopped = false;

  const runGroup = async (group: readonly T[]): Promise<void> => {
    for (const [position, item] of group.entries()) {
      stopped ||= !options.canStart();
      if (stopped) {
        notStarted.push(...group.slice(position));
        return;
      }
      if (!(await options.process(item))) {
        blocked.push(...group.slice(position + 1));
        return;
      }
    }
  };

  const worker = async (): Promise<void> => {
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
