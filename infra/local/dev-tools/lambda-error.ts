/**
 * A failed invocation as Lambda reports a Node.js function's error: `errorType`,
 * `errorMessage` and `trace` (the stack, its first line the error itself).
 *
 * @example
 * ```ts
 * lambdaError({ errorType: "TypeError", errorMessage: "boom", stackTrace: ["at f (x.ts:1:1)"] });
 * // { errorType: "TypeError", errorMessage: "boom", trace: ["TypeError: boom", "    at f (x.ts:1:1)"] }
 * ```
 */
import type { InvocationError } from "../runtime/function-sandbox-protocol";

/** The error payload Lambda returns for a function error. */
export interface LambdaError {
  readonly errorType: string;
  readonly errorMessage: string;
  readonly trace: readonly string[];
}

/** The sandbox's error in Lambda's shape. */
export const lambdaError = (error: InvocationError): LambdaError => ({
  errorType: error.errorType,
  errorMessage: error.errorMessage,
  trace:
    error.stackTrace === undefined
      ? []
      : [
          `${error.errorType}: ${error.errorMessage}`,
          ...error.stackTrace.map((line) => `    ${line}`),
        ],
});
