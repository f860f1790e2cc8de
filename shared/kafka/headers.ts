/**
 * The one module that owns Kafka header names (see docs/architecture.md, Kafka headers), and
 * the conversions between an event and its headers. Besides our names (`event_type`,
 * `event_id`, `produced_at`), the CloudEvents Kafka binding's `ce_*` attributes are set so
 * CloudEvents tooling can read them.
 */

/**
 * The name of every Kafka header the system writes or reads.
 *
 * @example
 * ```ts
 * headerText(record, HEADER.traceparent);
 * ```
 */
export const HEADER = {
  eventType: "event_type",
  eventId: "event_id",
  producedAt: "produced_at",
  contentType: "content-type",
  traceparent: "traceparent",
  tracestate: "tracestate",
  ceId: "ce_id",
  ceType: "ce_type",
  ceSource: "ce_source",
  ceTime: "ce_time",
  ceSpecversion: "ce_specversion",
} as const;

/**
 * The `content-type` of every event: its value is JSON.
 *
 * @example
 * ```ts
 * headers[HEADER.contentType] = JSON_CONTENT_TYPE;
 * ```
 */
export const JSON_CONTENT_TYPE = "application/json";

/**
 * Kafka headers as text, the form producers send.
 *
 * @example
 * ```ts
 * const headers: TextHeaders = { event_type: "OrderCreated" };
 * ```
 */
export type TextHeaders = Record<string, string>;

/**
 * Sets a header on a map of headers as an own property, even one named `__proto__`, which
 * plain assignment would take for the map's prototype. The map stays an ordinary object, so
 * spreading it into another map of headers copies it as any other.
 *
 * @example
 * ```ts
 * setHeader(headers, "__proto__", "x"); // an own header, not the map's prototype
 * ```
 */
export const setHeader = <V>(headers: Record<string, V>, name: string, value: V): void => {
  if (name === "__proto__") {
    Object.defineProperty(headers, name, {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  } else {
    headers[name] = value;
  }
};

/**
 * The envelope fields an event's headers are made of.
 *
 * @example
 * ```ts
 * const input: EventHeaderInput = { event_id, event_type: "OrderCreated", occurred_at };
 * ```
 */
export interface EventHeaderInput {
  readonly event_id: string;
  readonly event_type: string;
  readonly occurred_at: string;
}

/**
 * What an event's headers say besides the event: who produced it, its trace, and when.
 *
 * @example
 * ```ts
 * const context: HeaderContext = { source: "orders-api", ...traceHeaders() };
 * ```
 */
export interface HeaderContext {
  /** Who produced the event (CloudEvents `source`), e.g. "orders-api". */
  readonly source: string;
  readonly traceparent?: string;
  readonly tracestate?: string;
  /** Defaults to now. */
  readonly producedAt?: Date;
}

/**
 * The headers of an event's message: our names, the CloudEvents attributes, and the W3C trace
 * context when there is one.
 *
 * @example
 * ```ts
 * const headers = eventHeaders(event, { source: "orders-api", traceparent });
 * headers[HEADER.eventType]; // "OrderCreated"
 * ```
 */
export const eventHeaders = (event: EventHeaderInput, context: HeaderContext): TextHeaders => {
  const headers: TextHeaders = {
    [HEADER.eventType]: event.event_type,
    [HEADER.eventId]: event.event_id,
    [HEADER.producedAt]: (context.producedAt ?? new Date()).toISOString(),
    [HEADER.contentType]: JSON_CONTENT_TYPE,
    [HEADER.ceSpecversion]: "1.0",
    [HEADER.ceId]: event.event_id,
    [HEADER.ceType]: event.event_type,
    [HEADER.ceSource]: context.source,
    [HEADER.ceTime]: event.occurred_at,
  };
  if (context.traceparent !== undefined) headers[HEADER.traceparent] = context.traceparent;
  if (context.tracestate !== undefined) headers[HEADER.tracestate] = context.tracestate;
  return headers;
};
