/**
 * A whole-number setting read from an environment variable, for a `parseEnvironment` schema.
 *
 * @example
 * ```ts
 * z.object({ BATCH_LIMIT: wholeNumber({ min: 1, max: 100, fallback: 10 }) });
 * ```
 */
import * as z from "zod/mini";

/** A {@link wholeNumber}'s bounds, both inclusive, and its value when the variable is unset. */
export interface WholeNumberBounds {
  readonly min: number;
  /** No bound but the safe integers' when absent. */
  readonly max?: number;
  readonly fallback: number;
}

/**
 * A schema reading the variable's text as a whole number between `min` and `max`, and
 * `fallback` when the variable is unset; anything else is an issue naming the bound.
 *
 * @example
 * ```ts
 * const settings = parseEnvironment(
 *   z.object({ OUTBOX_TTL_SECONDS: wholeNumber({ min: 1, fallback: 7 * 24 * 3600 }) }),
 *   process.env,
 * );
 * ```
 */
export const wholeNumber = ({ min, max = Number.MAX_SAFE_INTEGER, fallback }: WholeNumberBounds) =>
  z._default(z.coerce.number().check(z.int(), z.gte(min), z.lte(max)), fallback);
