/**
 * The items of the transactions in progress (sent on and not yet answered), counted, so a
 * write arriving meanwhile can be told which of its items another transaction holds, as
 * DynamoDB's transaction engine knows. Two copies of one transaction may hold an item at
 * once (when conflicts are only watched, not answered), hence the counts.
 *
 * @example
 * ```ts
 * const held = inFlightItems();
 * const release = held.hold(["t:ORDER#1/VIEW"]);
 * held.held(["t:ORDER#1/VIEW", "t:ORDER#2/VIEW"]); // [0]
 * release();
 * ```
 */

/** The items held by transactions in progress. */
export interface InFlightItems {
  /** Holds the items until the returned release is called (once; later calls do nothing). */
  hold(items: readonly (string | undefined)[]): () => void;
  /** The positions of `items` that a transaction in progress holds. */
  held(items: readonly (string | undefined)[]): number[];
  /** How many transactions are in progress. */
  readonly transactions: number;
}

/** An empty register of items in progress. */
export const inFlightItems = (): InFlightItems => {
  const holders = new Map<string, number>();
  let transactions = 0;
  const change = (item: string, by: number) => {
    const count = (holders.get(item) ?? 0) + by;
    if (count > 0) holders.set(item, count);
    else holders.delete(item);
  };
  return {
    hold(items) {
      const named = items.filter((item): item is string => item !== undefined);
      for (const item of named) change(item, 1);
      transactions += 1;
      let released = false;
      return () => {
        if (released) return;
        released = true;
        transactions -= 1;
        for (const item of named) change(item, -1);
      };
    },
    held: (items) =>
      items.flatMap((item, index) => (item !== undefined && holders.has(item) ? [index] : [])),
    get transactions() {
      return transactions;
    },
  };
};
