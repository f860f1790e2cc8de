/**
 * An OTLP/HTTP span exporter that loads `@opentelemetry/exporter-trace-otlp-http` on its first
 * export, so a function that exports no spans never loads it.
 */
import { type ExportResult, ExportResultCode, globalErrorHandler } from "@opentelemetry/core";
import type { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import type { ReadableSpan, SpanExporter } from "@opentelemetry/sdk-trace";

/**
 * Exports spans with an `OTLPTraceExporter`, created on the first export from the `OTEL_*`
 * variables as they are then; until then `shutdown` and `forceFlush` have nothing to do, and
 * after `shutdown` every export fails. A failure to load the exporter reaches the result
 * callback as a failed export, and so does every later export: the load is not retried.
 *
 * @example
 * ```ts
 * new BatchSpanProcessor({ exporter: new LazyOtlpTraceExporter() });
 * ```
 */
export class LazyOtlpTraceExporter implements SpanExporter {
  #loading: Promise<OTLPTraceExporter> | undefined;
  #shutDown = false;

  /** Exports `spans` once the OTLP exporter is loaded; never throws, calls back once. */
  export(spans: ReadableSpan[], resultCallback: (result: ExportResult) => void): void {
    if (this.#shutDown) {
      resultCallback({
        code: ExportResultCode.FAILED,
        error: new Error("The exporter is shut down"),
      });
      return;
    }
    this.#loading ??= import("@opentelemetry/exporter-trace-otlp-http").then(
      ({ OTLPTraceExporter }) => new OTLPTraceExporter(),
    );
    void this.#loading
      .then((exporter) => new Promise<ExportResult>((done) => exporter.export(spans, done)))
      .catch((error: unknown) => ({
        code: ExportResultCode.FAILED,
        error: error instanceof Error ? error : new Error(String(error)),
      }))
      .then(resultCallback)
      .catch(globalErrorHandler);
  }

  /** Refuses every later export and shuts the OTLP exporter down, if it was ever loaded. */
  async shutdown(): Promise<void> {
    this.#shutDown = true;
    await (await this.#loaded())?.shutdown();
  }

  /** Waits for the OTLP exporter's pending exports, if it was ever loaded. */
  async forceFlush(): Promise<void> {
    await (await this.#loaded())?.forceFlush();
  }

  // A failed load was reported to the export that started it: nothing to flush or shut down.
  #loaded(): Promise<OTLPTraceExporter | undefined> {
    return this.#loading?.catch(() => undefined) ?? Promise.resolve(undefined);
  }
}
