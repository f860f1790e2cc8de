/**
 * W3C trace context across the system's hops (DESIGN §2): read it from an HTTP request, from
 * an outbox item's stored headers or from a Kafka record's headers, and write it out as the
 * `traceparent` / `tracestate` text headers an outbox item stores and a Kafka record carries.
 * Parsing and formatting are OpenTelemetry's `W3CTraceContextPropagator`; this module only
 * adapts our carriers to it. A missing or malformed `traceparent` yields the root context, so
 * the next span starts a new trace instead of failing.
 *
 * @example
 * ```ts
 * // orders-api: keep the request's trace in the outbox item
 * const headers = eventHeaders(event, { source: "orders-api", ...traceHeaders() });
 * // consumer: continue the producer's trace
 * const parent = contextFromKafkaRecord(record);
 * ```
 */
import {
  type Context,
  context,
  ROOT_CONTEXT,
  type TextMapGetter,
  type TextMapSetter,
  trace,
} from "@opentelemetry/api";
import { W3CTraceContextPropagator } from "@opentelemetry/core";
import type { HEADER, TextHeaders } from "../kafka/headers";
import {
  describableHeaders,
  type HEADERS_READER,
  type HeadersReader,
  headersReaderOf,
  headerText,
  type KafkaRecord,
} from "../kafka/kafka-record";

/** Incoming text headers: HTTP request headers or an outbox item's stored headers. */
export type IncomingHeaders = Readonly<Record<string, string | undefined>>;

/** The W3C headers of one context, named as in {@link HEADER}. */
export type TraceHeaders = Partial<
  Record<typeof HEADER.traceparent | typeof HEADER.tracestate, string>
>;

const propagator = new W3CTraceContextPropagator();

const kafkaHeaderGetter: TextMapGetter<Pick<KafkaRecord, "headers">> = {
  keys: (record) => record.headers.map((header) => header.name),
  get: (record, key) => headerText(record, key),
};

/** Case-insensitive, because HTTP header names are (API Gateway lowercases them, clients may not). */
const incomingHeaderGetter: TextMapGetter<IncomingHeaders> = {
  keys: (headers) => Object.keys(headers),
  get: (headers, key) => {
    const exact = headers[key];
    if (exact !== undefined) return exact;
    const name = Object.keys(headers).find((candidate) => candidate.toLowerCase() === key);
    return name === undefined ? undefined : headers[name];
  },
};

const textHeaderSetter: TextMapSetter<TextHeaders> = {
  set: (headers, key, value) => {
    headers[key] = value;
  },
};

const contextFromHeadersReader = (read: HeadersReader): Context =>
  propagator.extract(ROOT_CONTEXT, { headers: describableHeaders(read) }, kafkaHeaderGetter);

/**
 * The context a consumed record's span continues. Starts from the root context, never from
 * whatever is active: a batch mixes records of many traces, and none is the parent of another.
 * Malformed headers carry no context, as a malformed `traceparent` does not.
 */
export const contextFromKafkaRecord = (record: Pick<KafkaRecord, "headers">): Context =>
  contextFromHeadersReader(() => record.headers);

/**
 * A record's context, read from its headers only when something first asks it for a value.
 * Extracting it (finding and decoding two headers, matching `traceparent`) costs about as
 * much as validating the record's envelope, and when no span is recorded, most records are
 * applied without anything asking: no log line, no outgoing message.
 */
class DeferredContext implements Context {
  /** Dropped once read, so the context keeps nothing of its source alive. */
  #readHeaders: HeadersReader | undefined;
  #context: Context | undefined;

  constructor(readHeaders: HeadersReader) {
    this.#readHeaders = readHeaders;
  }

  #resolved(): Context {
    if (this.#context === undefined) {
      const readHeaders = this.#readHeaders;
      this.#context =
        readHeaders === undefined ? ROOT_CONTEXT : contextFromHeadersReader(readHeaders);
      this.#readHeaders = undefined;
    }
    return this.#context;
  }

  getValue(key: symbol): unknown {
    return this.#resolved().getValue(key);
  }

  setValue(key: symbol, value: unknown): Context {
    return this.#resolved().setValue(key, value);
  }

  deleteValue(key: symbol): Context {
    return this.#resolved().deleteValue(key);
  }
}

/**
 * {@link contextFromKafkaRecord}, read from the record's headers when first used: nothing of
 * the record is read before then, its headers may not even be decoded yet. The context may
 * outlive the record (async resources created inside it keep it), so it holds only a reader
 * of the headers, never the record and its value.
 */
export const deferredContextFromKafkaRecord = (
  record: Pick<KafkaRecord, "headers" | typeof HEADERS_READER>,
): Context => {
  return new DeferredContext(headersReaderOf(record));
};

/** The context carried by HTTP request headers or an outbox item's stored headers. */
export const contextFromHeaders = (headers: IncomingHeaders): Context =>
  propagator.extract(ROOT_CONTEXT, headers, incomingHeaderGetter);

/**
 * The `traceparent` (and `tracestate`, when there is one) of a context, by default the active
 * one; empty when no valid span is there. Spread it into outgoing Kafka headers or into
 * `eventHeaders`' context to store it in an outbox item.
 */
export const traceHeaders = (from: Context = context.active()): TraceHeaders => {
  // The propagator writes only the W3C headers, so the carrier is exactly TraceHeaders.
  const carrier: TextHeaders = {};
  propagator.inject(from, carrier, textHeaderSetter);
  return carrier;
};

/** The trace id of the active span, for log lines; undefined outside any valid span. */
export const activeTraceId = (): string | undefined => {
  const spanContext = trace.getActiveSpan()?.spanContext();
  return spanContext !== undefined && trace.isSpanContextValid(spanContext)
    ? spanContext.traceId
    : undefined;
};
