/**
 * How `npm start` stops. Each part it starts says how it stops, and the parts stop in the
 * reverse order (the console, then the runtime with its invocations in flight, then the
 * services this command started). That happens on SIGINT or SIGTERM, and when a part
 * fails to start. A signal during startup first aborts the startup's signal
 * (`services/interrupt.ts`): no service process starts after it, a service still starting
 * stops waiting and stops its process, and what had started by then is stopped once the
 * startup has given up. Nothing is left running.
 *
 * @example
 * ```ts
 * new StartShutdown().run(async (shutdown) => {
 *   const reports = await servicesUp(needed, log, shutdown.signal);
 *   shutdown.stopsWith(() => servicesDown(startedBy(reports)));
 * });
 * ```
 */
import { abortOnInterrupt, type InterruptedError } from "./services/interrupt";

/** The parts `npm start` runs, stopped together, once. */
export class StartShutdown {
  /** Aborted by the first SIGINT or SIGTERM, with an `InterruptedError`. */
  readonly signal = abortOnInterrupt();
  readonly #parts = new AsyncDisposableStack();
  #stopping: Promise<void> | undefined;
  #ready = false;

  /**
   * Adds a part: `stop` runs when everything stops, before the parts added earlier. Once a
   * signal came, the part is still added (it is stopped with the rest) and the signal's
   * `InterruptedError` is thrown, so the startup goes no further.
   */
  stopsWith(stop: () => Promise<unknown>): void {
    this.#parts.defer(async () => {
      await stop();
    });
    this.signal.throwIfAborted();
  }

  /** Stops every part, the last added first; a later call waits for the same stop. */
  stopAll(): Promise<void> {
    this.#stopping ??= this.#parts.disposeAsync();
    return this.#stopping;
  }

  /**
   * Runs `startup`. When it fails, every part is stopped and the process exits 1 with the
   * error. On a signal, the startup is aborted, and once it has given up every part is
   * stopped and the process exits: 0 after `ready`, 128 + the signal's number before.
   */
  run(startup: (shutdown: StartShutdown) => Promise<void>): void {
    const started = startup(this).then(() => {
      this.#ready = true;
    });
    const settled = started.catch(() => undefined);
    started.catch((error: unknown) => this.#failed(error));
    this.signal.addEventListener("abort", () => this.#stopOnSignal(settled), { once: true });
  }

  async #failed(error: unknown): Promise<void> {
    // A signal's stop is under way; it ends the process itself.
    if (this.signal.aborted) return;
    await this.stopAll().catch((stopError: unknown) => console.error(stopError));
    console.error(error instanceof Error ? `${error.name}: ${error.message}` : error);
    process.exit(1);
  }

  #stopOnSignal(startupSettled: Promise<unknown>): void {
    // A failed start is being stopped already, and exits 1 when it is done.
    if (this.#stopping !== undefined) return;
    const interrupted = this.signal.reason as InterruptedError;
    console.log(`${interrupted.signal}: stopping the local runtime...`);
    startupSettled
      .then(() => this.stopAll())
      .then(
        () => {
          console.log("stopped");
          process.exit(this.#ready ? 0 : interrupted.exitCode);
        },
        (error: unknown) => {
          console.error(error);
          process.exit(1);
        },
      );
  }
}
