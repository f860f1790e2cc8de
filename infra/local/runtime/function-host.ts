/**
 * Runs one function locally as Lambda would: each sandbox is a child process that loads the
 * same entry file CDK bundles, with the function's own environment and nothing else; the
 * declared timeout is enforced by killing the sandbox (the next invocation cold-starts a new
 * one); up to `maxConcurrency` sandboxes serve concurrent invocations. See
 * `docs/local-runtime.md`.
 *
 * A {@link SandboxPool} of {@link SandboxProcess}es does the work; the host gives each
 * invocation its request id and writes the sandboxes' output to the function's log file.
 * `reload()` makes the next invocations load the code anew (hot reload) without cutting
 * short the ones in flight.
 *
 * @example
 * ```ts
 * const host = createFunctionHost({ name: "orders-api", entry, environment, timeoutSeconds: 10, logFile });
 * const outcome = await host.invoke(event); // { ok: true, value } | { ok: false, error }
 * await host.stop();
 * ```
 */
import { randomUUID } from "node:crypto";
import { createWriteStream, mkdirSync, type WriteStream } from "node:fs";
import { dirname } from "node:path";
import { SandboxPool } from "./function-sandbox-pool";
import type { SandboxProcess } from "./function-sandbox-process";
import type { InvocationError } from "./function-sandbox-protocol";

/** How one invocation ended, with the request id it ran under. */
export type InvocationOutcome = (
  | { readonly ok: true; readonly value: unknown; readonly requestId: string }
  | { readonly ok: false; readonly error: InvocationError; readonly requestId: string }
) & {
  /** Whether the invocation ran in a sandbox that had not run one before (its init ran first). */
  readonly coldStart?: boolean;
};

/** One function as the wiring declares it, and where its output goes. */
export interface FunctionHostOptions {
  readonly name: string;
  /** Absolute path of the entry file; it exports `handler`. */
  readonly entry: string;
  /** The whole environment of the function: nothing of the runtime's leaks in. */
  readonly environment: Readonly<Record<string, string>>;
  readonly timeoutSeconds: number;
  /** 512 unless declared. */
  readonly memoryMb?: number;
  /** How many invocations run at once, each in its own sandbox; 1 unless declared. */
  readonly maxConcurrency?: number;
  /** Where the sandboxes' stdout and stderr go. */
  readonly logFile: string;
  /** Also gets the sandboxes' stdout and stderr, chunk by chunk (`npm run invoke` echoes them). */
  readonly output?: (chunk: Buffer) => void;
}

/** A function that can be invoked locally. */
export interface FunctionHost {
  readonly name: string;
  /** Runs one invocation; never rejects (a failure is an outcome). May be called unbound. */
  invoke(event: unknown): Promise<InvocationOutcome>;
  /**
   * Retires the sandboxes started so far: idle ones stop now, busy ones once their invocation
   * ended; the next invocation cold-starts a sandbox that loads the entry's code anew.
   */
  reload(): void;
  /** Kills every sandbox; invocations in flight fail. */
  stop(): Promise<void>;
}

/** A host for the function; sandboxes start with the first invocations. */
export const createFunctionHost = (options: FunctionHostOptions): FunctionHost =>
  new LocalFunctionHost(options);

/** One function's host: its sandboxes, its log file, its invocation ids. */
class LocalFunctionHost implements FunctionHost {
  readonly name: string;
  readonly #log: WriteStream;
  readonly #pool: SandboxPool;
  #lastInvocationId = 0;
  /** Sandboxes that ran an invocation: the next one there is warm. */
  readonly #warm = new WeakSet<SandboxProcess>();

  constructor(options: FunctionHostOptions) {
    this.name = options.name;
    mkdirSync(dirname(options.logFile), { recursive: true });
    const log = createWriteStream(options.logFile, { flags: "a" });
    this.#log = log;
    this.#pool = new SandboxPool({
      maxConcurrency: options.maxConcurrency ?? 1,
      spawn: {
        name: options.name,
        entry: options.entry,
        environment: options.environment,
        timeoutSeconds: options.timeoutSeconds,
        memoryMb: options.memoryMb,
        // Written chunk by chunk rather than piped: pipes from sandboxes that come and go
        // would pile listeners onto the one log stream.
        output: (chunk) => {
          if (!log.writableEnded) log.write(chunk);
          options.output?.(chunk);
        },
      },
    });
  }

  // A property, not a method: callers pass `host.invoke` on its own.
  readonly invoke = async (event: unknown): Promise<InvocationOutcome> => {
    const requestId = randomUUID();
    const stopped: InvocationOutcome = {
      ok: false,
      requestId,
      error: { errorType: "Runtime.Stopped", errorMessage: "the runtime is stopping" },
    };
    if (this.#pool.stopped) return stopped;
    const sandbox = await this.#initializedSandbox();
    if (sandbox === undefined) return stopped;
    try {
      const initError = await sandbox.ready;
      if (initError !== undefined) {
        sandbox.kill();
        return { ok: false, requestId, error: initError };
      }
      this.#lastInvocationId += 1;
      const coldStart = !this.#warm.has(sandbox);
      this.#warm.add(sandbox);
      return { ...(await sandbox.run(this.#lastInvocationId, event, requestId)), coldStart };
    } finally {
      this.#pool.release(sandbox);
    }
  };

  reload(): void {
    this.#pool.reload();
  }

  /**
   * A sandbox whose init ended, and not retired meanwhile: one that was still loading the
   * code when a reload came may hold some files old and some new, so it is dropped unused.
   * Undefined once the runtime is stopping.
   */
  async #initializedSandbox(): Promise<SandboxProcess | undefined> {
    for (;;) {
      const sandbox = await this.#pool.acquire();
      if (this.#pool.stopped || sandbox.dead) {
        this.#pool.release(sandbox);
        return undefined;
      }
      await sandbox.ready;
      if (!this.#pool.isRetired(sandbox)) return sandbox;
      this.#pool.release(sandbox);
    }
  }

  async stop(): Promise<void> {
    await this.#pool.stop();
    await new Promise<void>((resolve) => this.#log.end(resolve));
  }
}
