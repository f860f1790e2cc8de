/**
 * The sandboxes of one local function: up to `maxConcurrency` of them, each serving one
 * invocation at a time. An idle sandbox is reused (a warm start); otherwise a new one starts
 * while there is room, or the invocation waits for one to be released. A sandbox that died
 * (a timeout, a crash) is replaced when the next waiting invocation needs it. Once stopping,
 * nothing new starts. `reload` retires every sandbox started so far (hot reload): idle ones
 * stop at once, busy ones once their invocation is released, and the next invocation
 * cold-starts a sandbox that loads the code anew. See `docs/local-runtime.md`.
 *
 * @example
 * ```ts
 * const pool = new SandboxPool({ maxConcurrency: 4, spawn: sandboxOptions });
 * const sandbox = await pool.acquire();
 * try { ... } finally { pool.release(sandbox); }
 * ```
 */
import { SandboxProcess, type SandboxSpawnOptions } from "./function-sandbox-process";

/** The sandboxes of one function and the invocations waiting for one. */
export class SandboxPool {
  readonly #sandboxes = new Set<SandboxProcess>();
  readonly #busy = new Set<SandboxProcess>();
  readonly #waiting: ((sandbox: SandboxProcess) => void)[] = [];
  readonly #maxConcurrency: number;
  readonly #spawnOptions: SandboxSpawnOptions;
  /** Sandboxes started before the last `reload`: they take no new invocation. */
  readonly #retired = new WeakSet<SandboxProcess>();
  #stopped = false;

  constructor(options: { readonly maxConcurrency: number; readonly spawn: SandboxSpawnOptions }) {
    this.#maxConcurrency = options.maxConcurrency;
    this.#spawnOptions = options.spawn;
  }

  /** True once `stop` was called. */
  get stopped(): boolean {
    return this.#stopped;
  }

  /** A sandbox for one invocation, idle or new, or the next one released. */
  acquire(): Promise<SandboxProcess> {
    for (const sandbox of this.#sandboxes) {
      if (!this.#busy.has(sandbox) && !sandbox.dead && !this.#retired.has(sandbox))
        return Promise.resolve(this.#claim(sandbox));
    }
    if (this.#sandboxes.size < this.#maxConcurrency) {
      return Promise.resolve(this.#claim(this.#spawn()));
    }
    return new Promise((resolve) => this.#waiting.push(resolve));
  }

  /** True when the sandbox was started before the last `reload`. */
  isRetired(sandbox: SandboxProcess): boolean {
    return this.#retired.has(sandbox);
  }

  /**
   * Retires every sandbox started so far: idle ones are killed now, busy ones when they are
   * released (the invocation in flight finishes on the code it started with).
   */
  reload(): void {
    for (const sandbox of this.#sandboxes) {
      this.#retired.add(sandbox);
      if (!this.#busy.has(sandbox)) sandbox.kill();
    }
  }

  /**
   * Hands the sandbox to the next waiting invocation, if any: a new one in place of a dead
   * or retired one; once stopping, a dead one, so that the invocation fails.
   */
  release(sandbox: SandboxProcess): void {
    this.#busy.delete(sandbox);
    if (this.#retired.has(sandbox)) sandbox.kill();
    const next = this.#waiting.shift();
    if (next === undefined) return;
    if (this.#stopped) {
      sandbox.kill();
      next(sandbox);
      return;
    }
    next(this.#claim(sandbox.dead ? this.#spawn() : sandbox));
  }

  /** Kills every sandbox and resolves once all have exited; invocations in flight fail. */
  async stop(): Promise<void> {
    this.#stopped = true;
    await Promise.all([...this.#sandboxes].map((sandbox) => sandbox.killAndWait()));
  }

  #claim(sandbox: SandboxProcess): SandboxProcess {
    this.#busy.add(sandbox);
    return sandbox;
  }

  #spawn(): SandboxProcess {
    const sandbox = new SandboxProcess(this.#spawnOptions, (gone) => {
      this.#sandboxes.delete(gone);
      this.#busy.delete(gone);
    });
    this.#sandboxes.add(sandbox);
    return sandbox;
  }
}
