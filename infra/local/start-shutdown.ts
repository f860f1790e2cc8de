/**
 * How `npm start` stops: each part it starts says how it stops, and the parts stop in the
 * reverse order (the console, then the runtime with its invocations in flight, then the
 * services this command started) on SIGINT or SIGTERM, or when a later part fails to start.
 * A signal during startup also aborts {@link StartShutdown.signal}: no service process
 * starts after it, a service still starting stops waiting, and nothing is left running.
 *
 * @example
 * ```ts
 * const shutdown = new StartShutdown();
 * shutdown.listen();
 * await servicesUp(needed, log, shutdown.signal);
 * shutdown.stopsWith(() => servicesDown(needed));
 * ```
 */

/** The startup of `npm start` was interrupted by a signal. */
export class StartInterruptedError extends Error {
  override readonly name = "StartInterruptedError";

  constructor(readonly signal: NodeJS.Signals) {
    super(`${signal} before the local system was ready`);
  }
}

/** The parts `npm start` runs, stopped together, once. */
export class StartShutdown {
  readonly #startup = new AbortController();
  readonly #parts = new AsyncDisposableStack();
  #signalled: NodeJS.Signals | undefined;

  /** Aborted by the first SIGINT or SIGTERM, with a {@link StartInterruptedError}. */
  get signal(): AbortSignal {
    return this.#startup.signal;
  }

  /** Whether a signal is stopping everything (the process then exits when it is done). */
  get interrupted(): boolean {
    return this.#signalled !== undefined;
  }

  /**
   * Adds a part: `stop` runs when everything stops, before the parts added earlier. Throws
   * the signal's {@link StartInterruptedError} once a signal came.
   */
  stopsWith(stop: () => Promise<unknown>): void {
    this.#startup.signal.throwIfAborted();
    this.#parts.defer(async () => {
      await stop();
    });
  }

  /** Stops every part, the last added first; a second call does nothing. */
  stopAll(): Promise<void> {
    return this.#parts.disposeAsync();
  }

  /** From now on, the first SIGINT or SIGTERM stops every part and ends the process. */
  listen(): void {
    for (const signal of ["SIGINT", "SIGTERM"] as const) {
      process.on(signal, () => this.#stopOn(signal));
    }
  }

  #stopOn(signal: NodeJS.Signals): void {
    if (this.#signalled !== undefined) return;
    this.#signalled = signal;
    console.log(`${signal}: stopping the local runtime...`);
    this.#startup.abort(new StartInterruptedError(signal));
    this.stopAll().then(
      () => {
        console.log("stopped");
        process.exit(0);
      },
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  }
}
