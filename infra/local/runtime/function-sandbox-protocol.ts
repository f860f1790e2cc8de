/**
 * The messages between the local runtime and a function sandbox (a child process that loads
 * the function's entry file, as a Lambda execution environment does).
 *
 * @example
 * ```ts
 * child.send({ type: "invoke", id: 1, event, requestId, deadline } satisfies ToSandbox);
 * ```
 */

/** A failed invocation or init, as Lambda reports a function error. */
export interface InvocationError {
  readonly errorType: string;
  readonly errorMessage: string;
  readonly stackTrace?: readonly string[];
}

/** From the runtime to a sandbox: run one invocation. */
export type ToSandbox = {
  readonly type: "invoke";
  readonly id: number;
  readonly event: unknown;
  readonly requestId: string;
  /** Epoch milliseconds at which the invocation times out. */
  readonly deadline: number;
};

/** From a sandbox to the runtime: its init's end, then each invocation's result or error. */
export type FromSandbox =
  | { readonly type: "ready" }
  | { readonly type: "init-error"; readonly error: InvocationError }
  | { readonly type: "result"; readonly id: number; readonly value: unknown }
  | { readonly type: "error"; readonly id: number; readonly error: InvocationError };

/** Any thrown value as an invocation error: an Error's name, message and stack lines. */
export const toInvocationError = (error: unknown): InvocationError =>
  error instanceof Error
    ? {
        errorType: error.name || "Error",
        errorMessage: error.message,
        stackTrace: error.stack
          ?.split("\n")
          .slice(1)
          .map((line) => line.trim()),
      }
    : { errorType: "Error", errorMessage: String(error) };
