/**
 * Runs `npm run invoke` or `npm run event`'s entry as a user would, in a child process from
 * the repository's root: its stdout, stderr and exit code.
 */
import { spawn } from "node:child_process";
import { resolve } from "node:path";

export const ROOT = resolve(import.meta.dirname, "../../..");
const TSX = resolve(ROOT, "node_modules/.bin/tsx");

/** What a run printed and how it ended. */
export interface CommandRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `infra/local/<command>.ts` with `args`, `stdin` written to its standard input. */
export const runCommand = (
  command: "invoke" | "event",
  args: readonly string[],
  stdin = "",
): Promise<CommandRun> =>
  new Promise((done, fail) => {
    const child = spawn(TSX, [resolve(ROOT, `infra/local/${command}.ts`), ...args], {
      cwd: ROOT,
      env: { ...process.env, NODE_OPTIONS: "--disable-warning=TimeoutNegativeWarning" },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString("utf8");
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString("utf8");
    });
    child.stdin.end(stdin);
    child.on("error", fail);
    child.on("close", (code) => done({ code, stdout, stderr }));
  });
