/**
 * Maps items with at most `limit` calls in flight, keeping the results in the items' order:
 * enough to keep a local API busy without queueing hundreds of requests at once.
 *
 * @example
 * ```ts
 * const views = await inParallel(orderIds, 8, (id) => client.orderView(id));
 * ```
 */
export const inParallel = async <T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T, index: number) => Promise<R>,
): Promise<R[]> => {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index] as T, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
};
