/**
 * Configuration from the environment, parsed once at cold start with a zod schema.
 *
 * @example
 * ```ts
 * const config = parseEnvironment(
 *   z.object({
 *     TABLE_NAME: z.string().check(z.minLength(1)),
 *     BATCH_LIMIT: wholeNumber({ min: 1, max: 100, fallback: 10 }),
 *   }),
 *   process.env,
 * );
 * ```
 */
export { ConfigurationError, parseEnvironment } from "./parse-environment";
export { type WholeNumberBounds, wholeNumber } from "./whole-number";
