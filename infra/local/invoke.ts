/**
 * `npm run invoke -- <function> <event-file | ->`: invokes one declared function once, in a
 * sandbox like the running system's. stdout: the function's JSON result (or, when it threw
 * or timed out, the error as Lambda reports it); stderr: its logs. Exit 0 when it returned,
 * 1 when it threw or timed out, 2 on bad usage. See docs/developer-tools.md.
 */
import { readFileSync } from "node:fs";
import { text as streamText } from "node:stream/consumers";
import { systemWiring } from "../wiring/system-wiring";
import { lambdaError } from "./dev-tools/lambda-error";
import { invokeOnce } from "./dev-tools/local-invocation";

const USAGE = "usage: npm run invoke -- <function> <event-file | -> (- reads the event from stdin)";

const exit = (code: number, stdout = "", stderr = ""): void => {
  if (stderr.length > 0) process.stderr.write(stderr);
  process.stdout.write(stdout, () => process.exit(code));
};

const readEvent = async (source: string): Promise<unknown> => {
  let text: string;
  try {
    // stdin as a stream: a pipe may be non-blocking, and `readFileSync(0)` then fails with
    // EAGAIN whenever its writer (`npm run event`, say) has not written everything yet.
    text = source === "-" ? await streamText(process.stdin) : readFileSync(source, "utf8");
  } catch (error) {
    throw new Error(
      `cannot read the event ${source === "-" ? "from stdin" : `file ${source}`}: ${(error as Error).message}`,
    );
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new Error(
      `the event ${source === "-" ? "on stdin" : `in ${source}`} is not JSON: ${(error as Error).message}`,
    );
  }
};

const main = async (): Promise<void> => {
  const [name, source, ...extra] = process.argv.slice(2);
  const names = systemWiring.functions.map((fn) => fn.name);
  if (name === undefined || name === "--help" || name === "-h")
    return exit(
      name === undefined ? 2 : 0,
      name === undefined ? "" : `${USAGE}\nfunctions: ${names.join(", ")}\n`,
      name === undefined ? `${USAGE}\nfunctions: ${names.join(", ")}\n` : "",
    );
  const declaration = systemWiring.functions.find((fn) => fn.name === name);
  if (declaration === undefined)
    return exit(
      2,
      "",
      `npm run invoke: no function "${name}"; the wiring declares: ${names.join(", ")}\n`,
    );
  if (source === undefined || extra.length > 0) return exit(2, "", `${USAGE}\n`);
  let event: unknown;
  try {
    event = await readEvent(source);
  } catch (error) {
    return exit(2, "", `npm run invoke: ${(error as Error).message}\n`);
  }
  const outcome = await invokeOnce(declaration, event, {
    wiring: systemWiring,
    env: process.env,
    log: (line) => process.stderr.write(`[invoke] ${line}\n`),
    output: (chunk) => process.stderr.write(chunk),
  });
  if (outcome.ok) return exit(0, `${JSON.stringify(outcome.value)}\n`);
  const error = lambdaError(outcome.error);
  exit(
    1,
    `${JSON.stringify(error)}\n`,
    `[invoke] ${name} failed: ${error.errorType}: ${error.errorMessage}\n`,
  );
};

main().catch((error: unknown) => {
  exit(
    2,
    "",
    `npm run invoke: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}\n`,
  );
});
