/**
 * Errors of the observability utilities.
 */

/**
 * A span helper ran before `setupTracing()`: a wiring mistake, so it fails loudly.
 *
 * @example
 * ```ts
 * withRecordSpan(record, "process", fn); // throws TracingNotSetUpError before setupTracing()
 * ```
 */
export class TracingNotSetUpError extends Error {
  override readonly name = "TracingNotSetUpError";

  constructor() {
    super("Tracing is not set up: call setupTracing({ serviceName }) once, at cold start");
  }
}
