/**
 * Runs one function locally as Lambda would: each sandbox is a child process that loads the
 * same entry file CDK bundles, with the function's own environment and nothing else; the
 * declared timeout is enforced by killing the sandbox (the next invocation cold-starts a new
 * one); up to `maxConcurrency` sandboxes serve concurrent invocations.
 *
 * @example
 * ```ts
 * const host = createFunctionHost({ name: "orders-api", entry, environment, timeoutSeconds: 10 });
 * const outcome = await host.invoke(event); // { ok: true, value } | { ok: false, error }
 * await host.stop();
 * ```
 */
import { type ChildProcess, fork } from "node:child_process";
import { randomUUID } from "node:crypto";
import { createWriteStream, mkdirSync, type WriteStream } from "node:fs";
import { dirname, join } from "node:path";
import type { FromSandbox, InvocationError, ToSandbox } from "./function-sandbox-protocol";

export type InvocationOutcome =
  | { readonly ok: true; readonly value: unknown; readonly requestId: string }
  | { readonly ok: false; readonly error: InvocationError; readonly requestId: string };

export interface FunctionHostOptions {
  readonly name: string;
  /** Absolute path of the entry file; it exports `handler`. */
  readonly entry: string;
  /** The whole environment of the function: nothing of the runtime's leaks in. */
  readonly environment: Readonly<Record<string, string>>;
  readonly timeoutSeconds: number;
  readonly memoryMb?: number;
  readonly maxConcurrency?: number;
  /** Where the sandboxes' stdout and stderr go. */
  readonly logFile: string;
}

export interface FunctionHost {
  readonly name: string;
  invoke(event: unknown): Promise<InvocationOutcome>;
  /** Kills every sandbox; invocations in flight fail. */
  stop(): Promise<void>;
}

const SANDBOX_SCRIPT = join(import.meta.dirname, "function-sandbox.ts");

interface Sandbox {
  readonly child: ChildProcess;
  readonly ready: Promise<InvocationError | undefined>;
  busy: boolean;
  dead: boolean;
}

export const createFunctionHost = (options: FunctionHostOptions): FunctionHost => {
  const maxConcurrency = options.maxConcurrency ?? 1;
  const sandboxes = new Set<Sandbox>();
  const waiting: ((sandbox: Sandbox) => void)[] = [];
  let nextId = 0;
  let stopped = false;
  mkdirSync(dirname(options.logFile), { recursive: true });
  const log: WriteStream = createWriteStream(options.logFile, { flags: "a" });

  const spawnSandbox = (): Sandbox => {
    const child = fork(SANDBOX_SCRIPT, [options.entry, options.name], {
      env: {
        ...options.environment,
        AWS_LAMBDA_FUNCTION_NAME: options.name,
        AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(options.memoryMb ?? 512),
        AWS_LAMBDA_FUNCTION_TIMEOUT: String(options.timeoutSeconds),
      },
      execArgv: ["--import", "tsx", "--disable-warning=TimeoutNegativeWarning"],
      stdio: ["ignore", "pipe", "pipe", "ipc"],
      detached: false,
    });
    // Written chunk by chunk rather than piped: pipes from sandboxes that come and go would
    // pile listeners onto the one log stream.
    const write = (chunk: Buffer) => {
      if (!log.writableEnded) log.write(chunk);
    };
    child.stdout?.on("data", write);
    child.stderr?.on("data", write);
    const sandbox: Sandbox = {
      child,
      busy: false,
      dead: false,
      ready: new Promise((resolve) => {
        const onMessage = (message: FromSandbox) => {
          if (message.type === "ready") resolve(undefined);
          if (message.type === "init-error") resolve(message.error);
          if (message.type === "ready" || message.type === "init-error")
            child.off("message", onMessage);
        };
        child.on("message", onMessage);
        child.once("exit", (code, signal) =>
          resolve({
            errorType: "Runtime.ExitError",
            errorMessage: `sandbox exited during init (${signal ?? code})`,
          }),
        );
      }),
    };
    // A send to a sandbox that just died fails its invocation through "exit"; nothing to add.
    child.on("error", () => undefined);
    child.once("exit", () => {
      sandbox.dead = true;
      sandboxes.delete(sandbox);
    });
    sandboxes.add(sandbox);
    return sandbox;
  };

  const kill = (sandbox: Sandbox): void => {
    sandbox.dead = true;
    sandboxes.delete(sandbox);
    if (sandbox.child.exitCode === null && sandbox.child.signalCode === null)
      sandbox.child.kill("SIGKILL");
  };

  const acquire = (): Promise<Sandbox> => {
    for (const sandbox of sandboxes) {
      if (!sandbox.busy && !sandbox.dead) {
        sandbox.busy = true;
        return Promise.resolve(sandbox);
      }
    }
    if (sandboxes.size < maxConcurrency) {
      const sandbox = spawnSandbox();
      sandbox.busy = true;
      return Promise.resolve(sandbox);
    }
    return new Promise((resolve) => waiting.push(resolve));
  };

  const release = (sandbox: Sandbox): void => {
    sandbox.busy = false;
    const next = waiting.shift();
    if (next === undefined) return;
    if (stopped) {
      // Nothing new starts once stopping: the waiting invocation gets a dead sandbox and fails.
      kill(sandbox);
      next(sandbox);
      return;
    }
    if (sandbox.dead) {
      const fresh = spawnSandbox();
      fresh.busy = true;
      next(fresh);
      return;
    }
    sandbox.busy = true;
    next(sandbox);
  };

  const run = (sandbox: Sandbox, event: unknown, requestId: string): Promise<InvocationOutcome> => {
    nextId += 1;
    const id = nextId;
    const timeoutMs = options.timeoutSeconds * 1000;
    return new Promise((resolve) => {
      const finish = (outcome: InvocationOutcome) => {
        clearTimeout(timer);
        sandbox.child.off("message", onMessage);
        sandbox.child.off("exit", onExit);
        resolve(outcome);
      };
      const onMessage = (message: FromSandbox) => {
        if (message.type === "result" && message.id === id)
          finish({ ok: true, value: message.value, requestId });
        if (message.type === "error" && message.id === id)
          finish({ ok: false, error: message.error, requestId });
      };
      const onExit = (code: number | null, signal: string | null) =>
        finish({
          ok: false,
          requestId,
          error: {
            errorType: "Runtime.ExitError",
            errorMessage: `sandbox exited (${signal ?? code})`,
          },
        });
      const timer = setTimeout(() => {
        kill(sandbox);
        finish({
          ok: false,
          requestId,
          error: {
            errorType: "Sandbox.Timedout",
            errorMessage: `Task timed out after ${options.timeoutSeconds.toFixed(2)} seconds`,
          },
        });
      }, timeoutMs);
      sandbox.child.on("message", onMessage);
      sandbox.child.once("exit", onExit);
      const message: ToSandbox = {
        type: "invoke",
        id,
        event,
        requestId,
        deadline: Date.now() + timeoutMs,
      };
      sandbox.child.send(message);
    });
  };

  return {
    name: options.name,
    async invoke(event) {
      const requestId = randomUUID();
      const stoppedOutcome: InvocationOutcome = {
        ok: false,
        requestId,
        error: { errorType: "Runtime.Stopped", errorMessage: "the runtime is stopping" },
      };
      if (stopped) return stoppedOutcome;
      const sandbox = await acquire();
      if (stopped || sandbox.dead) {
        release(sandbox);
        return stoppedOutcome;
      }
      try {
        const initError = await sandbox.ready;
        if (initError !== undefined) {
          kill(sandbox);
          return { ok: false, requestId, error: initError };
        }
        return await run(sandbox, event, requestId);
      } finally {
        release(sandbox);
      }
    },
    async stop() {
      stopped = true;
      const all = [...sandboxes];
      await Promise.all(
        all.map(
          (sandbox) =>
            new Promise<void>((resolve) => {
              if (sandbox.child.exitCode !== null || sandbox.child.signalCode !== null)
                return resolve();
              sandbox.child.once("exit", () => resolve());
              kill(sandbox);
            }),
        ),
      );
      await new Promise<void>((resolve) => log.end(resolve));
    },
  };
};
