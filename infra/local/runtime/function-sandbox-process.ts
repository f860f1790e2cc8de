/**
 * The runtime's side of one function sandbox: a child process running
 * `function-sandbox.ts`, which loads the function's entry file with the function's own
 * environment and nothing else. It reports once whether its init succeeded, then runs the
 * invocations sent to it; one that outlives the declared timeout gets the sandbox killed.
 * See `docs/local-runtime.md`.
 *
 * @example
 * ```ts
 * const sandbox = new SandboxProcess({ name, entry, environment, timeoutSeconds: 10, output }, onGone);
 * if ((await sandbox.ready) === undefined) await sandbox.run(1, event, requestId);
 * ```
 */
import { type ChildProcess, fork } from "node:child_process";
import { join } from "node:path";
import type { InvocationOutcome } from "./function-host";
import type { FromSandbox, InvocationError, ToSandbox } from "./function-sandbox-protocol";

const SANDBOX_SCRIPT = join(import.meta.dirname, "function-sandbox.ts");

/** What every sandbox of one function is started with. */
export interface SandboxSpawnOptions {
  readonly name: string;
  /** Absolute path of the entry file; it exports `handler`. */
  readonly entry: string;
  /** The whole environment of the function. */
  readonly environment: Readonly<Record<string, string>>;
  readonly timeoutSeconds: number;
  readonly memoryMb?: number;
  /** Gets the sandbox's stdout and stderr, chunk by chunk. */
  readonly output: (chunk: Buffer) => void;
}

const exitedOutcome = (
  requestId: string,
  code: number | null,
  signal: string | null,
): InvocationOutcome => ({
  ok: false,
  requestId,
  error: { errorType: "Runtime.ExitError", errorMessage: `sandbox exited (${signal ?? code})` },
});

const timedOutOutcome = (requestId: string, timeoutSeconds: number): InvocationOutcome => ({
  ok: false,
  requestId,
  error: {
    errorType: "Sandbox.Timedout",
    errorMessage: `Task timed out after ${timeoutSeconds.toFixed(2)} seconds`,
  },
});

/** Resolves once the sandbox's init ended: undefined when it is ready, else its error. */
const readiness = (child: ChildProcess): Promise<InvocationError | undefined> =>
  new Promise((resolve) => {
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
  });

/** One sandbox process, from its start until it exits or is killed. */
export class SandboxProcess {
  /** The init's outcome: undefined when ready, else the error that ended it. */
  readonly ready: Promise<InvocationError | undefined>;
  readonly #child: ChildProcess;
  readonly #timeoutSeconds: number;
  readonly #onGone: (sandbox: SandboxProcess) => void;
  #dead = false;

  /** Starts the process; `onGone` is told when it exits or is killed. */
  constructor(options: SandboxSpawnOptions, onGone: (sandbox: SandboxProcess) => void) {
    this.#timeoutSeconds = options.timeoutSeconds;
    this.#onGone = onGone;
    this.#child = fork(SANDBOX_SCRIPT, [options.entry, options.name], {
      env: {
        ...options.environment,
        AWS_LAMBDA_FUNCTION_NAME: options.name,
        AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(options.memoryMb ?? 512),
        AWS_LAMBDA_FUNCTION_TIMEOUT: String(options.timeoutSeconds),
        // Powertools reports a cold start (`cold_start` in each log line) only for this type.
        AWS_LAMBDA_INITIALIZATION_TYPE: "on-demand",
      },
      execArgv: ["--import", "tsx", "--disable-warning=TimeoutNegativeWarning"],
      stdio: ["ignore", "pipe", "pipe", "ipc"],
      detached: false,
    });
    this.#child.stdout?.on("data", options.output);
    this.#child.stderr?.on("data", options.output);
    this.ready = readiness(this.#child);
    // A send to a sandbox that just died fails its invocation through "exit"; nothing to add.
    this.#child.on("error", () => undefined);
    this.#child.once("exit", () => this.#gone());
  }

  /** True once it exited or was killed: it takes no more invocations. */
  get dead(): boolean {
    return this.#dead;
  }

  /** Kills the process (if it still runs); it is dead from now on. */
  kill(): void {
    this.#gone();
    if (!this.#hasExited()) this.#child.kill("SIGKILL");
  }

  /** Kills the process and resolves once it has exited. */
  killAndWait(): Promise<void> {
    return new Promise<void>((resolve) => {
      if (this.#hasExited()) return resolve();
      this.#child.once("exit", () => resolve());
      this.kill();
    });
  }

  /**
   * Runs one invocation: its result or error, a failure when the process exits meanwhile,
   * or a timeout (which kills the sandbox) after the declared timeout.
   */
  run(id: number, event: unknown, requestId: string): Promise<InvocationOutcome> {
    const child = this.#child;
    const timeoutMs = this.#timeoutSeconds * 1000;
    return new Promise((resolve) => {
      const finish = (outcome: InvocationOutcome) => {
        clearTimeout(timer);
        child.off("message", onMessage);
        child.off("exit", onExit);
        resolve(outcome);
      };
      const onMessage = (message: FromSandbox) => {
        if (message.type === "result" && message.id === id)
          finish({ ok: true, value: message.value, requestId });
        if (message.type === "error" && message.id === id)
          finish({ ok: false, error: message.error, requestId });
      };
      const onExit = (code: number | null, signal: string | null) =>
        finish(exitedOutcome(requestId, code, signal));
      const timer = setTimeout(() => {
        this.kill();
        finish(timedOutOutcome(requestId, this.#timeoutSeconds));
      }, timeoutMs);
      child.on("message", onMessage);
      child.once("exit", onExit);
      const message: ToSandbox = {
        type: "invoke",
        id,
        event,
        requestId,
        deadline: Date.now() + timeoutMs,
      };
      child.send(message);
    });
  }

  #gone(): void {
    this.#dead = true;
    this.#onGone(this);
  }

  #hasExited(): boolean {
    return this.#child.exitCode !== null || this.#child.signalCode !== null;
  }
}
