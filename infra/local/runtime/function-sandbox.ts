/**
 * The process side of a local function sandbox: loads the entry file once (the cold start,
 * with the function's own environment), then runs one invocation at a time with a Lambda
 * context whose remaining time counts down to the runtime's deadline.
 *
 * Started by {@link ./function-host} as `node --import tsx function-sandbox.ts <entry> <name>`.
 */
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { Context } from "aws-lambda";
import { type FromSandbox, type ToSandbox, toInvocationError } from "./function-sandbox-protocol";

type Handler = (event: unknown, context: Context) => Promise<unknown>;

const [entry, functionName = "function"] = process.argv.slice(2);

const send = (message: FromSandbox): void => {
  process.send?.(message);
};

const contextFor = (message: ToSandbox): Context => ({
  callbackWaitsForEmptyEventLoop: true,
  functionName,
  functionVersion: "$LATEST",
  invokedFunctionArn: `arn:aws:lambda:${process.env.AWS_REGION ?? "us-east-1"}:000000000000:function:${functionName}`,
  memoryLimitInMB: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE ?? "512",
  awsRequestId: message.requestId,
  logGroupName: `/aws/lambda/${functionName}`,
  logStreamName: `local/${process.pid}`,
  getRemainingTimeInMillis: () => Math.max(0, message.deadline - Date.now()),
  done: () => undefined,
  fail: () => undefined,
  succeed: () => undefined,
});

// A terminal's Ctrl-C reaches every process of the group; the runtime decides when a sandbox
// ends (after its invocation in flight), and a sandbox whose runtime is gone ends with it.
process.on("SIGINT", () => undefined);
process.on("SIGTERM", () => undefined);
process.on("disconnect", () => process.exit(0));

const main = async (): Promise<void> => {
  if (entry === undefined)
    throw new Error("usage: function-sandbox.ts <entry file> <function name>");
  let handler: Handler;
  try {
    const module = (await import(pathToFileURL(resolve(entry)).href)) as { handler?: unknown };
    if (typeof module.handler !== "function") {
      throw new TypeError(`${entry} does not export a function named "handler"`);
    }
    handler = module.handler as Handler;
  } catch (error) {
    send({ type: "init-error", error: toInvocationError(error) });
    return;
  }
  process.on("message", (message: ToSandbox) => {
    handler(message.event, contextFor(message)).then(
      (value) => send({ type: "result", id: message.id, value: value ?? null }),
      (error: unknown) => send({ type: "error", id: message.id, error: toInvocationError(error) }),
    );
  });
  send({ type: "ready" });
};

main().catch((error: unknown) => {
  send({ type: "init-error", error: toInvocationError(error) });
});
