/**
 * The tracer of a function, set up once per cold start: an OpenTelemetry SDK tracer provider
 * (so spans get real trace and span ids, and a consumer continuing a trace logs its id) with
 * an async-aware context manager. Spans leave the process over OTLP/HTTP only when
 * `OTEL_EXPORTER_OTLP_ENDPOINT` or `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` is set; otherwise
 * nothing is sent. Lambda freezes the process once the handler returns, so batched spans are
 * flushed at the end of every invocation: by {@link flushTracesMiddleware} or
 * {@link flushTraces}.
 *
 * @example
 * ```ts
 * setupTracing({ serviceName: "order-created" }); // module scope: once per cold start
 *
 * export const handler = middy(processBatch)
 *   .use(injectLambdaContext(logger))
 *   .use(logMetrics(metrics))
 *   .use(flushTracesMiddleware());
 * ```
 */
import type { MiddlewareObj } from "@middy/core";
import { context, diag, type Tracer } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { defaultResource, resourceFromAttributes } from "@opentelemetry/resources";
import {
  BatchSpanProcessor,
  SimpleSpanProcessor,
  type SpanExporter,
  type SpanProcessor,
  TracerProvider,
} from "@opentelemetry/sdk-trace";
import { ATTR_SERVICE_NAME } from "@opentelemetry/semantic-conventions";
import * as z from "zod/mini";
import { parseEnvironment } from "../config";
import { TracingNotSetUpError } from "./errors";
import { LazyOtlpTraceExporter } from "./lazy-otlp-trace-exporter";

/**
 * How {@link setupTracing} sets up a function's tracer.
 *
 * @example
 * ```ts
 * const options: TracingOptions = { serviceName: "order-created", exporter: new InMemorySpanExporter() };
 * ```
 */
export interface TracingOptions {
  /** The `service.name` of every span, e.g. the function's name. */
  readonly serviceName: string;
  /**
   * Replaces the OTLP exporter, exporting each span as it ends: for tests (an
   * `InMemorySpanExporter`) and local debugging (a `ConsoleSpanExporter`).
   */
  readonly exporter?: SpanExporter;
}

const TRACER_NAME = "msk-order-events";

const endpoint = z.optional(z.union([z.literal(""), z.url()]));
const tracingEnvironment = z.object({
  OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: endpoint,
});

let active:
  | { readonly provider: TracerProvider; readonly tracer: Tracer; readonly exporting: boolean }
  | undefined;
let contextManagerRegistered = false;

const spanProcessorsFor = (exporter: SpanExporter | undefined): SpanProcessor[] => {
  if (exporter !== undefined) return [new SimpleSpanProcessor({ exporter })];
  const environment = parseEnvironment(tracingEnvironment, process.env);
  const exporting =
    Boolean(environment.OTEL_EXPORTER_OTLP_ENDPOINT) ||
    Boolean(environment.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT);
  // The exporter reads its endpoint, headers and timeout from the same OTEL_* variables.
  // Lazy, so that a function exporting no spans never loads the OTLP exporter.
  return exporting ? [new BatchSpanProcessor({ exporter: new LazyOtlpTraceExporter() })] : [];
};

/**
 * Sets up the function's tracer and returns it. A later call replaces it (tests do this).
 * The provider is deliberately not registered as OpenTelemetry's global one, which can be set
 * only once per process; use {@link currentTracer} for custom spans.
 *
 * @example
 * ```ts
 * setupTracing({ serviceName: "order-created" }); // module scope: once per cold start
 * ```
 */
export const setupTracing = (options: TracingOptions): Tracer => {
  if (!contextManagerRegistered) {
    // The active span must survive `await`: the AsyncLocalStorage-based manager keeps it.
    // Another manager may own the global context already (an OpenTelemetry layer, say); the
    // context then follows that one, and registering ours does nothing.
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    contextManagerRegistered = true;
  }
  const spanProcessors = spanProcessorsFor(options.exporter);
  const provider = new TracerProvider({
    resource: defaultResource().merge(
      resourceFromAttributes({ [ATTR_SERVICE_NAME]: options.serviceName }),
    ),
    spanProcessors,
  });
  const previous = active;
  active = {
    provider,
    tracer: provider.getTracer(TRACER_NAME),
    exporting: spanProcessors.length > 0,
  };
  void previous?.provider.shutdown();
  return active.tracer;
};

/**
 * Whether spans go anywhere. When they do not, the per-record span helpers start no span
 * that nobody could see and only carry the trace context through. Throws
 * `TracingNotSetUpError` before {@link setupTracing}.
 *
 * @example
 * ```ts
 * if (tracesExported()) span.setAttribute("orders.count", items.length);
 * ```
 */
export const tracesExported = (): boolean => {
  if (active === undefined) throw new TracingNotSetUpError();
  return active.exporting;
};

/**
 * The tracer set up by {@link setupTracing}; throws `TracingNotSetUpError` before it.
 *
 * @example
 * ```ts
 * const span = currentTracer().startSpan("rebuild read model");
 * ```
 */
export const currentTracer = (): Tracer => {
  if (active === undefined) throw new TracingNotSetUpError();
  return active.tracer;
};

/**
 * Exports the spans still buffered. Never throws: a collector that is down must not fail a
 * batch whose work is done, so the failure goes to OpenTelemetry's diagnostic log instead.
 *
 * @example
 * ```ts
 * try { await work(); } finally { await flushTraces(); }
 * ```
 */
export const flushTraces = async (): Promise<void> => {
  try {
    await active?.provider.forceFlush();
  } catch (error) {
    diag.warn("Exporting spans failed", error);
  }
};

/**
 * A middy middleware that flushes spans after every invocation, whether it succeeded or not.
 *
 * @example
 * ```ts
 * export const handler = middy(processBatch).use(flushTracesMiddleware());
 * ```
 */
export const flushTracesMiddleware = (): MiddlewareObj => ({
  after: flushTraces,
  onError: flushTraces,
});
