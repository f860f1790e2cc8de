/**
 * Configuration from the environment, parsed once (at cold start) with a zod schema.
 * A missing or malformed variable fails fast, naming the variable.
 *
 * @example
 * ```ts
 * const config = parseEnvironment(
 *   z.object({
 *     TABLE_NAME: z.string().check(z.minLength(1)),
 *     BATCH_LIMIT: z._default(z.coerce.number(), 10),
 *   }),
 *   process.env,
 * );
 * config.TABLE_NAME; // string
 * ```
 */
import * as z from "zod/mini";
import "./zod-messages";

/** The environment does not satisfy the function's schema; `problems` names each variable. */
export class ConfigurationError extends Error {
  override readonly name = "ConfigurationError";

  /** @param problems One per variable, e.g. "TABLE_NAME is required". */
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration: ${problems.join("; ")}`);
  }
}

/**
 * The environment as `schema` reads it (defaults and coercions applied), or a
 * {@link ConfigurationError} naming every missing or malformed variable.
 *
 * @throws {ConfigurationError} when the environment does not satisfy `schema`.
 * @example
 * ```ts
 * const { DEAD_LETTER_BUCKET_NAME } = parseEnvironment(
 *   z.object({ DEAD_LETTER_BUCKET_NAME: z.string().check(z.minLength(1)) }),
 *   process.env,
 * );
 * ```
 */
export const parseEnvironment = <S extends z.core.$ZodType>(
  schema: S,
  environment: Readonly<Record<string, string | undefined>>,
): z.output<S> => {
  const parsed = z.safeParse(schema, environment);
  if (parsed.success) return parsed.data;
  throw new ConfigurationError(
    parsed.error.issues.map((issue) => {
      const variable = issue.path.join(".") || "(environment)";
      return issue.code === "invalid_type" && environment[variable] === undefined
        ? `${variable} is required`
        : `${variable}: ${issue.message}`;
    }),
  );
};
