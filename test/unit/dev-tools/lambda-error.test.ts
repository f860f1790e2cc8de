/**
 * docs/developer-tools.md ("npm run invoke"): a failed invocation is printed as Lambda reports
 * a Node.js function's error, `{errorType, errorMessage, trace}`, for a throw and a timeout.
 */
import { describe, expect, it } from "vitest";
import { lambdaError } from "../../../infra/local/dev-tools/lambda-error";
import { toInvocationError } from "../../../infra/local/runtime/function-sandbox-protocol";

describe("lambdaError", () => {
  it("gives a thrown error's type, message and stack, the error itself first", () => {
    // Prepare
    const thrown = new TypeError("no such order");

    // Act
    const error = lambdaError(toInvocationError(thrown));

    // Assess
    expect(Object.keys(error)).toEqual(["errorType", "errorMessage", "trace"]);
    expect(error.errorType).toBe("TypeError");
    expect(error.errorMessage).toBe("no such order");
    expect(error.trace[0]).toBe("TypeError: no such order");
    expect(error.trace[1]).toMatch(/^ {4}at /);
  });

  it("gives a timeout with an empty trace, as Lambda does", () => {
    // Act
    const error = lambdaError({
      errorType: "Sandbox.Timedout",
      errorMessage: "Task timed out after 10.00 seconds",
    });

    // Assess
    expect(error).toEqual({
      errorType: "Sandbox.Timedout",
      errorMessage: "Task timed out after 10.00 seconds",
      trace: [],
    });
  });
});
