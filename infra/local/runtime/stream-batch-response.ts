/**
 * Reads a stream function's partial batch response (see `docs/architecture.md`, section
 * "Lambda event sources"):
 * `{batchItemFailures: [{itemIdentifier: "<SequenceNumber>"}]}`. Lambda restarts from the
 * lowest reported sequence number; an identifier that is empty, null or not in the batch
 * makes the whole batch a failure.
 *
 * @example
 * ```ts
 * const verdict = readStreamBatchResponse(response, sequenceNumbers);
 * if (verdict.kind === "partial") retryFrom(verdict.firstFailedIndex);
 * ```
 */
import { isJsonObject } from "./is-json-object";

/** What the response says of the batch: all succeeded, where failures begin, or unreadable. */
export type StreamBatchVerdict =
  | { readonly kind: "success" }
  | { readonly kind: "partial"; readonly firstFailedIndex: number }
  | { readonly kind: "invalid"; readonly reason: string };

/** Reads the function's response to the batch of those sequence numbers. */
export const readStreamBatchResponse = (
  response: unknown,
  sequenceNumbers: readonly string[],
): StreamBatchVerdict => {
  if (!isJsonObject(response) || response.batchItemFailures == null) return { kind: "success" };
  const failures = response.batchItemFailures;
  if (!Array.isArray(failures))
    return { kind: "invalid", reason: "batchItemFailures is not a list" };
  if (failures.length === 0) return { kind: "success" };
  let firstFailedIndex = sequenceNumbers.length;
  for (const failure of failures) {
    const identifier = isJsonObject(failure) ? failure.itemIdentifier : undefined;
    const index =
      typeof identifier === "string" && identifier !== ""
        ? sequenceNumbers.indexOf(identifier)
        : -1;
    if (index === -1)
      return {
        kind: "invalid",
        reason: `itemIdentifier ${JSON.stringify(identifier)} is not in the batch`,
      };
    firstFailedIndex = Math.min(firstFailedIndex, index);
  }
  return { kind: "partial", firstFailedIndex };
};
