/**
 * The broker's error behind a kafkajs error: a `KafkaJSProtocolError` names it by `type`, and
 * kafkajs's retrier wraps the last one in its own error (`cause`) once its retries run out.
 *
 * @example
 * ```ts
 * if (hasKafkaErrorType(error, new Set(["LEADER_NOT_AVAILABLE"]))) return false; // settling
 * ```
 */
export const hasKafkaErrorType = (error: unknown, types: ReadonlySet<string>): boolean => {
  let cause = error;
  for (let depth = 0; depth < 5 && typeof cause === "object" && cause !== null; depth += 1) {
    const { type, cause: next } = cause as { type?: unknown; cause?: unknown };
    if (typeof type === "string" && types.has(type)) return true;
    cause = next;
  }
  return false;
};
