/**
 * A seeded 32-bit linear congruential generator, for tests that compare an implementation
 * with a reference on many generated inputs: the same inputs on every run.
 *
 * @example
 * ```ts
 * const random = seededRandom(2026);
 * random(6); // an integer from 0 to 5, the same on every run
 * ```
 */
export const seededRandom = (seed: number) => {
  let state = seed;
  return (below: number): number => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return Math.floor((state / 2 ** 32) * below);
  };
};
