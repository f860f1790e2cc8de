/**
 * Spans at a function's edges, named and attributed after OpenTelemetry's messaging
 * conventions: a SERVER span per HTTP request, a CONSUMER span per consumed Kafka record, a
 * PRODUCER span per produced record. Each helper runs a function in its span, marks the span
 * failed (status, exception event, `error.type`) when the function throws, rethrows, and always
 * ends the span. Requires {@link setupTracing} at cold start.
 *
 * When no exporter is configured (see {@link tracesExported}) no span is started, since
 * nobody could see it; the trace context is carried all the same, so log lines keep the
 * producer's trace id and outgoing records keep its `traceparent`.
 */
import { isUtf8 } from "node:buffer";
import {
  type Attributes,
  type Context,
  context,
  INVALID_SPAN_CONTEXT,
  type Span,
  SpanKind,
  SpanStatusCode,
  trace,
} from "@opentelemetry/api";
import { ATTR_ERROR_TYPE } from "@opentelemetry/semantic-conventions";
import { describeError } from "../errors";
import { HEADER } from "../kafka/headers";
import { headerText, type KafkaRecord } from "../kafka/kafka-record";
import { MESSAGING_ATTRIBUTE, MESSAGING_OPERATION_TYPE, MESSAGING_SYSTEM_KAFKA } from "./constants";
import {
  contextFromHeaders,
  contextFromKafkaRecord,
  type IncomingHeaders,
  type TraceHeaders,
  traceHeaders,
} from "./trace-context";
import { currentTracer, tracesExported } from "./tracing";

/**
 * A record about to be produced, as the PRODUCER span helpers take it.
 *
 * @example
 * ```ts
 * const outgoing: OutgoingRecord = { topic: "order-events", key: "ord-1", eventId, parent };
 * ```
 */
export interface OutgoingRecord {
  readonly topic: string;
  readonly key?: string;
  /** The event's id, when the record carries one. */
  readonly eventId?: string;
  /** The span's parent; defaults to the active context. */
  readonly parent?: Context;
}

const markFailed = (span: Span, error: unknown): void => {
  const { errorClass, message } = describeError(error);
  span.recordException(error instanceof Error ? error : message);
  span.setStatus({ code: SpanStatusCode.ERROR, message });
  span.setAttribute(ATTR_ERROR_TYPE, errorClass);
};

/**
 * Marks the active span failed, as the span helpers do when their function throws: for work
 * in a span that settles a failure itself instead of throwing it. Nothing happens when the
 * active span records nothing (no exporter, or no span).
 *
 * @example
 * ```ts
 * await withRecordSpan(record, "process", async () => {
 *   const outcome = await tryToApply(event);
 *   if (outcome.error !== undefined) failActiveSpan(outcome.error);
 * });
 * ```
 */
export const failActiveSpan = (error: unknown): void => {
  const span = trace.getActiveSpan();
  if (span?.isRecording()) markFailed(span, error);
};

const runInSpans = async <T>(spans: readonly Span[], fn: () => Promise<T>): Promise<T> => {
  try {
    return await fn();
  } catch (error) {
    for (const span of spans) markFailed(span, error);
    throw error;
  } finally {
    for (const span of spans) span.end();
  }
};

const runInActiveSpan = <T>(
  parent: Context,
  span: Span,
  fn: (span: Span) => Promise<T>,
): Promise<T> =>
  context.with(trace.setSpan(parent, span), () => runInSpans([span], () => fn(span)));

/**
 * Runs `fn` in `parent` without recording a span of its own: the parent's span context stays
 * active (so log lines carry its trace id) and outgoing headers continue it unchanged.
 */
const withoutSpan = <T>(parent: Context, fn: (span: Span) => Promise<T>): Promise<T> =>
  context.with(parent, () =>
    fn(trace.getSpan(parent) ?? trace.wrapSpanContext(INVALID_SPAN_CONTEXT)),
  );

const kafkaAttributes = (topic: string, key: string | undefined): Attributes => ({
  [MESSAGING_ATTRIBUTE.system]: MESSAGING_SYSTEM_KAFKA,
  [MESSAGING_ATTRIBUTE.systemName]: MESSAGING_SYSTEM_KAFKA,
  [MESSAGING_ATTRIBUTE.destinationName]: topic,
  ...(key === undefined
    ? {}
    : {
        [MESSAGING_ATTRIBUTE.kafkaMessageKey]: key,
        [MESSAGING_ATTRIBUTE.kafkaMessageKeyCurrent]: key,
      }),
});

/** The key as text, unless it is binary: the conventions ask for no key over a garbled one. */
const keyText = (key: Buffer | null): string | undefined =>
  key !== null && isUtf8(key) ? key.toString("utf8") : undefined;

const startRecordSpan = (record: KafkaRecord, operation: string, parent: Context): Span => {
  const eventId = headerText(record, HEADER.eventId);
  return currentTracer().startSpan(
    `${operation} ${record.topic}`,
    {
      kind: SpanKind.CONSUMER,
      attributes: {
        ...kafkaAttributes(record.topic, keyText(record.key)),
        [MESSAGING_ATTRIBUTE.operationType]: MESSAGING_OPERATION_TYPE.process,
        [MESSAGING_ATTRIBUTE.operationName]: operation,
        [MESSAGING_ATTRIBUTE.destinationPartitionId]: String(record.partition),
        [MESSAGING_ATTRIBUTE.kafkaOffset]: record.offset,
        [MESSAGING_ATTRIBUTE.kafkaOffsetCurrent]: record.offset,
        ...(eventId === undefined ? {} : { [MESSAGING_ATTRIBUTE.messageId]: eventId }),
      },
    },
    parent,
  );
};

/**
 * Runs `fn` in the trace of one consumed record: in a CONSUMER span whose parent is the trace
 * context in the record's headers (a new trace when there is none or it is malformed), or,
 * when no exporter is configured, in that context itself without a span. Either way
 * everything `fn` starts, awaited or not, runs in the record's trace, and its log lines carry
 * the producer's trace id. `operation` names the span (`"<operation> <topic>"`) and must be
 * low-cardinality, e.g. "process". Pass `parent` when the record's context is already at
 * hand (`contextFromKafkaRecord(record)`).
 *
 * @example
 * ```ts
 * for (const record of records) {
 *   await withRecordSpan(record, "process", async () => {
 *     const event = decode(record);
 *     logger.info("applying event", recordLogKeys(record, event.event_id));
 *     await apply(event);
 *   });
 * }
 * ```
 */
export const withRecordSpan = <T>(
  record: KafkaRecord,
  operation: string,
  fn: () => Promise<T>,
  parent: Context = contextFromKafkaRecord(record),
): Promise<T> => {
  if (!tracesExported()) return context.with(parent, fn);
  return runInActiveSpan(parent, startRecordSpan(record, operation, parent), fn);
};

interface ProducerSpan {
  readonly parent: Context;
  readonly span: Span;
  readonly headers: TraceHeaders;
}

const startProducerSpan = (record: OutgoingRecord): ProducerSpan => {
  const parent = record.parent ?? context.active();
  const span = currentTracer().startSpan(
    `${MESSAGING_OPERATION_TYPE.send} ${record.topic}`,
    {
      kind: SpanKind.PRODUCER,
      attributes: {
        ...kafkaAttributes(record.topic, record.key),
        [MESSAGING_ATTRIBUTE.operationType]: MESSAGING_OPERATION_TYPE.send,
        [MESSAGING_ATTRIBUTE.operationName]: MESSAGING_OPERATION_TYPE.send,
        ...(record.eventId === undefined
          ? {}
          : { [MESSAGING_ATTRIBUTE.messageId]: record.eventId }),
      },
    },
    parent,
  );
  return { parent, span, headers: traceHeaders(trace.setSpan(parent, span)) };
};

/**
 * Runs `fn` (the send of one record) in a PRODUCER span, passing the span's W3C headers to put
 * on the record, so consumers continue the trace from this span.
 *
 * @example
 * ```ts
 * await withProducerSpan({ topic, key, eventId }, (headers) =>
 *   producer.send([{ topic, key, value, headers: { ...eventHeaders, ...headers } }]),
 * );
 * ```
 */
export const withProducerSpan = <T>(
  record: OutgoingRecord,
  fn: (headers: TraceHeaders, span: Span) => Promise<T>,
): Promise<T> => {
  if (!tracesExported()) {
    const parent = record.parent ?? context.active();
    return withoutSpan(parent, (span) => fn(traceHeaders(parent), span));
  }
  const { parent, span, headers } = startProducerSpan(record);
  return runInActiveSpan(parent, span, () => fn(headers, span));
};

/**
 * Runs `fn` (one send of several records) with a PRODUCER span per record, passing each span's
 * W3C headers in the records' order; every span ends with the send's outcome.
 *
 * @example
 * ```ts
 * // relay: one span per outbox item, parented by the trace the API stored, one send
 * await withProducerSpans(
 *   items.map((item) => ({ topic: item.topic, key: item.key, parent: contextFromHeaders(item.headers) })),
 *   (traceHeaders) => producer.send(items.map((item, i) => ({ ...item, headers: { ...item.headers, ...traceHeaders[i] } }))),
 * );
 * ```
 */
export const withProducerSpans = <T>(
  records: readonly OutgoingRecord[],
  fn: (headers: readonly TraceHeaders[]) => Promise<T>,
): Promise<T> => {
  if (!tracesExported()) {
    return fn(records.map((record) => traceHeaders(record.parent ?? context.active())));
  }
  const started = records.map(startProducerSpan);
  return runInSpans(
    started.map(({ span }) => span),
    () => fn(started.map(({ headers }) => headers)),
  );
};

/**
 * Runs `fn` in a SERVER span for one HTTP request, continuing the caller's trace when the
 * request carries a valid `traceparent`, starting a new one otherwise. Inside, `traceHeaders()`
 * gives what an outbox item stores.
 *
 * @example
 * ```ts
 * const response = await withRequestSpan("POST /orders", event.headers, async () => {
 *   const headers = eventHeaders(created, { source: "orders-api", ...traceHeaders() });
 *   return placeOrder(request, headers);
 * });
 * ```
 */
export const withRequestSpan = <T>(
  name: string,
  headers: IncomingHeaders,
  fn: (span: Span) => Promise<T>,
  attributes: Attributes = {},
): Promise<T> => {
  const parent = contextFromHeaders(headers);
  const span = currentTracer().startSpan(name, { kind: SpanKind.SERVER, attributes }, parent);
  return runInActiveSpan(parent, span, fn);
};
