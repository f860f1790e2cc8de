/**
 * Text a record may carry into DynamoDB and Kafka: a string of `min` to `max` UTF-16 code
 * units with no lone surrogate. JSON can spell one (`"\ud800"`) and zod's `z.string()` takes
 * it, but it has no UTF-8 form: DynamoDB refuses the request, the same way on every retry, so
 * an event carrying one would come back forever instead of being dead-lettered.
 */
import * as z from "zod/mini";

/**
 * The schema of a text field: `min` to `max` UTF-16 code units, well-formed Unicode.
 *
 * @example
 * ```ts
 * textSchema(1, 64).safeParse("DHL").success;     // true
 * textSchema(1, 64).safeParse("\ud800").success;  // false: "must be well-formed Unicode text"
 * ```
 */
export const textSchema = (min: number, max: number) =>
  z.string().check(
    z.minLength(min),
    z.maxLength(max),
    z.refine((text) => text.isWellFormed(), {
      message: "must be well-formed Unicode text (no lone surrogate)",
    }),
  );
