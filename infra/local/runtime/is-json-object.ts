/**
 * Whether a value a function returned is a JSON object (not null, not an array): the first
 * question every reader of a function's response asks.
 *
 * @example
 * ```ts
 * if (isJsonObject(response) && Array.isArray(response.batchItemFailures)) ...
 * ```
 */
export const isJsonObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);
