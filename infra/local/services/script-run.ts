/**
 * Runs one of the project's shell scripts (`infra/local/ensure-*.sh`), passing each line it
 * prints on stdout to a log as it comes and keeping its stderr to explain a failure.
 *
 * @example
 * ```ts
 * const { code, errors } = await runScript("infra/local/ensure-browser.sh", [], root, console.log);
 * ```
 */
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";

/** How a script ended: its exit code (null when killed by a signal) and its stderr lines. */
export interface ScriptOutcome {
  readonly code: number | null;
  readonly errors: readonly string[];
}

/** Runs `bash <script> <args…>` in `cwd`; rejects only when bash itself cannot be started. */
export const runScript = (
  script: string,
  args: readonly string[],
  cwd: string,
  log: (line: string) => void,
): Promise<ScriptOutcome> =>
  new Promise((resolvePromise, reject) => {
    const child = spawn("bash", [script, ...args], { cwd, stdio: ["ignore", "pipe", "pipe"] });
    const errors: string[] = [];
    createInterface({ input: child.stdout }).on("line", log);
    createInterface({ input: child.stderr }).on("line", (line) => errors.push(line));
    child.on("error", reject);
    child.on("close", (code) => resolvePromise({ code, errors }));
  });
