/**
 * Ctrl-C for the commands that start the local services (`npm start`, `npm run
 * services:up`): the first SIGINT or SIGTERM aborts one `AbortSignal`, which `servicesUp`
 * takes, with an {@link InterruptedError} naming the signal.
 *
 * @example
 * ```ts
 * await servicesUp(services, log, abortOnInterrupt()); // Ctrl-C: rejects with an InterruptedError
 * ```
 */
import { constants } from "node:os";

/** A command starting the services was interrupted by a signal, and stopped what it started. */
export class InterruptedError extends Error {
  override readonly name = "InterruptedError";

  /** @param signal - the signal that interrupted it */
  constructor(readonly signal: NodeJS.Signals) {
    super(`${signal}: stopped what this command had started`);
  }

  /** The exit code of a command ended by its signal: 128 + the signal's number (130, 143). */
  get exitCode(): number {
    return 128 + constants.signals[this.signal];
  }
}

/**
 * A signal aborted by the first SIGINT or SIGTERM this process gets, with an
 * {@link InterruptedError}. Listening replaces Node's default of exiting at once.
 *
 * @example
 * ```ts
 * const interrupt = abortOnInterrupt();
 * interrupt.addEventListener("abort", () => console.log(String(interrupt.reason)));
 * ```
 */
export const abortOnInterrupt = (): AbortSignal => {
  const interrupt = new AbortController();
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.on(signal, () => {
      if (!interrupt.signal.aborted) interrupt.abort(new InterruptedError(signal));
    });
  }
  return interrupt.signal;
};
