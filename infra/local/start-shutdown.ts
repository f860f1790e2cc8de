/**
 * How `npm start` stops. Each part it starts says how it stops, and the parts stop in the
 * reverse order (the console, then the runtime with its invocations in flight, then the
 * services this command started). That happens on SIGINT or SIGTERM, and when a part
 * fails to start. A signal during startup first aborts the startup's signal: no service
 * process starts after it, a service still starting stops waiting and stops its process,
 * and what had started by then is stopped once the startup has given up. Nothing is left
 * running.
 *
 * @example
 * ```ts
 * new StartShutdown().run(async (shutdown) => {
 *   const reports = await servicesUp(needed, log, shutdown.signal);
 *   shutdown.stopsWith(() => servicesDown(startedBy(reports)));
 * });
 * ```
 */
import { constants } from "node:os";

/** The startup of `npm start` was interrupted by a signal. */
export class StartInterruptedError extends Error {
  override readonly name = "StartInterruptedError";

  /** @param signal - the signal that interrupted it */
  constructor(readonly signal: NodeJS.Signals) {
    super(`${signal} before the local system was ready`);
  }
}

/** The parts `npm start` runs, stopped together, once. */
export class StartShutdown {
  readonly #startup = new AbortController();
  readonly #parts = new AsyncDisposableStack();
  #stopping: Promise<void> | undefined;
  #signalled: NodeJS.Signals | undefined;
  #ready = false;

  /** Aborted by the first SIGINT or SIGTERM, with a {@link StartInterruptedError}. */
  get signal(): AbortSignal {
    return this.#startup.signal;
  }

  /**
   * Adds a part: `stop` runs when everything stops, before the parts added earlier. Once a
   * signal came, the part is still added (it is stopped with the rest) and the signal's
   * {@link StartInterruptedError} is thrown, so the startup goes no further.
   */
  stopsWith(stop: () => Promise<unknown>): void {
    this.#parts.defer(async () => {
      await stop();
    });
    this.#startup.signal.throwIfAborted();
  }

  /** Stops every part, the last added first; a later call waits for the same stop. */
  stopAll(): Promise<void> {
    this.#stopping ??= this.#parts.disposeAsync();
    return this.#stopping;
  }

  /**
   * Runs `startup`, listening for SIGINT and SIGTERM from its start. When it fails,
   * every part is stopped and the process exits 1 with the error. On a signal, the startup
   * is aborted, and once it has given up every part is stopped and the process exits: 0
   * after `ready`, 128 + the signal's number before.
   */
  run(startup: (shutdown: StartShutdown) => Promise<void>): void {
    const started = startup(this).then(() => {
      this.#ready = true;
    });
    const settled = started.catch(() => undefined);
    started.catch((error: unknown) => this.#failed(error));
    // Signals arrive through the event loop: none can come before these listeners.
    for (const signal of ["SIGINT", "SIGTERM"] as const) {
      process.on(signal, () => this.#stopOn(signal, settled));
    }
  }

  async #failed(error: unknown): Promise<void> {
    // A signal's stop is under way; it ends the process itself.
    if (this.#signalled !== undefined) return;
    await this.stopAll().catch((stopError: unknown) => console.error(stopError));
    console.error(error instanceof Error ? `${error.name}: ${error.message}` : error);
    process.exit(1);
  }

  #stopOn(signal: NodeJS.Signals, startupSettled: Promise<unknown>): void {
    if (this.#signalled !== undefined) return;
    this.#signalled = signal;
    this.#startup.abort(new StartInterruptedError(signal));
    // A failed start is being stopped already, and exits 1 when it is done.
    if (this.#stopping !== undefined) return;
    console.log(`${signal}: stopping the local runtime...`);
    startupSettled
      .then(() => this.stopAll())
      .then(
        () => {
          console.log("stopped");
          process.exit(this.#ready ? 0 : 128 + constants.signals[signal]);
        },
        (error: unknown) => {
          console.error(error);
          process.exit(1);
        },
      );
  }
}
