/**
 * W3C trace context across the system's hops (see docs/architecture.md, Kafka headers): read
 * it from an HTTP request, from an outbox item's stored headers or from a Kafka record's
 * headers, and write it out as the `traceparent` / `tracestate` text headers an outbox item
 * stores and a Kafka record carries. Parsing and formatting are OpenTelemetry's
 * `W3CTraceContextPropagator`; this module only adapts our carriers to it. A missing or
 * malformed `traceparent` yields the root context, so the next span starts a new trace
 * instead of failing.
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
import { headerText, type KafkaRecord } from "../kafka/kafka-record";

/**
 * Incoming text headers: HTTP request headers or an outbox item's stored headers.
 *
 * @example
 * ```ts
 * const headers: IncomingHeaders = event.headers; // API Gateway's
 * ```
 */
export type IncomingHeaders = Readonly<Record<string, string | undefined>>;

/**
 * The W3C headers of one context, named as in {@link HEADER}.
 *
 * @example
 * ```ts
 * const headers: TraceHeaders = { traceparent: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01" };
 * ```
 */
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

/**
 * The context a consumed record's work continues: its producer's, from its `traceparent`
 * header. Starts from the root context, never from whatever is active: a batch mixes records
 * of many traces, and none is the parent of another.
 *
 * @example
 * ```ts
 * const parent = contextFromKafkaRecord(record);
 * trace.getSpanContext(parent)?.traceId; // the producer's trace id
 * ```
 */
export const contextFromKafkaRecord = (record: Pick<KafkaRecord, "headers">): Context =>
  propagator.extract(ROOT_CONTEXT, record, kafkaHeaderGetter);

/**
 * The context carried by HTTP request headers or an outbox item's stored headers.
 *
 * @example
 * ```ts
 * const parent = contextFromHeaders(request.headers);
 * ```
 */
export const contextFromHeaders = (headers: IncomingHeaders): Context =>
  propagator.extract(ROOT_CONTEXT, headers, incomingHeaderGetter);

/**
 * The `traceparent` (and `tracestate`, when there is one) of a context, by default the active
 * one; empty when no valid span is there. Spread it into outgoing Kafka headers or into
 * `eventHeaders`' context to store it in an outbox item.
 *
 * @example
 * ```ts
 * // orders-api: keep the request's trace in the outbox item
 * const headers = eventHeaders(event, { source: "orders-api", ...traceHeaders() });
 * ```
 */
export const traceHeaders = (from: Context = context.active()): TraceHeaders => {
  // The propagator writes only the W3C headers, so the carrier is exactly TraceHeaders.
  const carrier: TextHeaders = {};
  propagator.inject(from, carrier, textHeaderSetter);
  return carrier;
};

/**
 * The trace id of the active span, for log lines; undefined outside any valid span.
 *
 * @example
 * ```ts
 * await withRecordSpan(record, "process", async () => activeTraceId()); // the record's trace id
 * ```
 */
export const activeTraceId = (): string | undefined => {
  const spanContext = trace.getActiveSpan()?.spanContext();
  return spanContext !== undefined && trace.isSpanContextValid(spanContext)
    ? spanContext.traceId
    : undefined;
};

/** W3C `traceparent`: version, trace id, parent id, flags; an all-zero trace id is invalid. */
const TRACEPARENT = /^[\da-f]{2}-(?!0{32})([\da-f]{32})-[\da-f]{16}-[\da-f]{2}$/;

/**
 * The trace id of a W3C `traceparent`, or `undefined` when there is none or it is malformed.
 * It reads the text only, with no context made, for a hot path that only logs the id.
 *
 * @example
 * ```ts
 * traceIdOf("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"); // "4bf92f3577b34da6a3ce929d0e0e4736"
 * traceIdOf("garbage"); // undefined
 * ```
 */
export const traceIdOf = (traceparent: string | undefined): string | undefined =>
  traceparent === undefined ? undefined : TRACEPARENT.exec(traceparent)?.[1];
