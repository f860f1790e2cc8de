/**
 * Runs a tool's entry (`infra/local/<tool>.ts`: invoke, event, lag, logs, dead-letters) as
 * `npm run <tool>` does, in a child process with the environment a test gives it and
 * `stdin` on its standard input (a string written at once, or a stream piped as it comes): to
 * its end (stdout, stderr, exit code), or kept running (`--follow`) until the test stops it.
 */
import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { resolve } from "node:path";
import type { Readable } from "node:stream";

/** The repository's root, where the tools run. */
export const ROOT = resolve(import.meta.dirname, "../..");
const TSX = resolve(ROOT, "node_modules/.bin/tsx");

/** What a run printed and how it ended. */
export interface ToolRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** A run still going: its output so far, and how to end it. */
export interface RunningTool {
  readonly child: ChildProcessWithoutNullStreams;
  stdout(): string;
  stderr(): string;
  /** SIGTERM, then what it printed and its exit code. */
  stop(): Promise<ToolRun>;
}

/** The environment of a run: the test's own, with `NODE_OPTIONS` as the npm scripts set it. */
const environmentOf = (env: Readonly<Record<string, string | undefined>>): NodeJS.ProcessEnv => ({
  ...process.env,
  NODE_OPTIONS: "--disable-warning=TimeoutNegativeWarning",
  ...env,
});

/** Starts `infra/local/<tool>.ts` with the arguments. */
export const startTool = (
  tool: string,
  args: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  stdin: string | Readable = "",
): RunningTool => {
  const child = spawn(TSX, [resolve(ROOT, `infra/local/${tool}.ts`), ...args], {
    cwd: ROOT,
    env: environmentOf(env),
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
  if (typeof stdin === "string") child.stdin.end(stdin);
  else stdin.pipe(child.stdin);
  const ended = new Promise<ToolRun>((done, fail) => {
    child.on("error", fail);
    child.on("close", (code) => done({ code, stdout, stderr }));
  });
  return {
    child,
    stdout: () => stdout,
    stderr: () => stderr,
    stop: () => {
      if (child.exitCode === null) child.kill("SIGTERM");
      return ended;
    },
  };
};

/** Runs `infra/local/<tool>.ts` with the arguments to its end. */
export const runTool = (
  tool: string,
  args: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  stdin: string | Readable = "",
): Promise<ToolRun> =>
  new Promise((done, fail) => {
    const running = startTool(tool, args, env, stdin);
    running.child.on("error", fail);
    running.child.on("close", (code) =>
      done({ code, stdout: running.stdout(), stderr: running.stderr() }),
    );
  });

/**
 * Starts `infra/local/<tool>.ts` and closes the reading end of its stdout at once, as `| head`
 * does before the tool prints: how it ended, and what it printed on stderr.
 */
export const runWithStdoutClosed = async (
  tool: string,
  args: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): Promise<Pick<ToolRun, "code" | "stderr">> => {
  const running = startTool(tool, args, env);
  const exited = new Promise<number | null>((done) => running.child.on("close", done));
  running.child.stdout.destroy();
  return { code: await exited, stderr: running.stderr() };
};
