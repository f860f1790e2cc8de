/**
 * Counts Kafka offsets up from a base offset, as decimal text: the offsets a broker gave the
 * messages of one partition in one produce request. Offsets are 64-bit, so they are counted
 * as numbers (much cheaper, and this runs for every message sent) when every one of them is
 * an exact integer there, and as BigInt otherwise.
 *
 * @example
 * ```ts
 * const next = offsetCounter("41", 3);
 * next(); // "41"
 * next(); // "42"
 * ```
 */
export const offsetCounter = (baseOffset: string, count: number): (() => string) => {
  const base = Number(baseOffset);
  if (Number.isSafeInteger(base + count)) {
    let next = base;
    return () => {
      next += 1;
      return String(next - 1);
    };
  }
  let next = BigInt(baseOffset);
  return () => {
    next += 1n;
    return (next - 1n).toString();
  };
};
