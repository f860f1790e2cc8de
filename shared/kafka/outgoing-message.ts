/**
 * A message ready to be produced, and what the broker answered for it. The value is sent as
 * given (already serialized: the outbox relay holds the exact event text; a dead letter holds
 * the original bytes), so the producer never re-encodes anything.
 *
 * Headers come either as a map of text (as stored in an outbox item) or as an ordered list
 * whose names may repeat and whose values may be any bytes (as in a consumed record).
 * kafkajs writes headers from an object, so on the wire a repeated name's values sit together
 * at the name's first position, and integer-like names ("0", "17") come first; every other
 * order, and the order of one name's values, is kept.
 */
import type { IHeaders } from "kafkajs";
import { setHeader } from "./headers";

/**
 * A header value to produce: text, or any bytes.
 *
 * @example
 * ```ts
 * const value: OutgoingHeaderValue = Buffer.from([0xff]);
 * ```
 */
export type OutgoingHeaderValue = Buffer | string;

/**
 * One header of an ordered list, whose names may repeat.
 *
 * @example
 * ```ts
 * const header: OutgoingHeader = { name: "traceparent", value: traceparent };
 * ```
 */
export interface OutgoingHeader {
  readonly name: string;
  readonly value: OutgoingHeaderValue;
}

/**
 * A message's headers: a map of text (as an outbox item stores them) or an ordered list.
 *
 * @example
 * ```ts
 * const headers: OutgoingHeaders = record.headers; // a consumed record's, as they came
 * ```
 */
export type OutgoingHeaders =
  | Readonly<Record<string, OutgoingHeaderValue>>
  | readonly OutgoingHeader[];

/**
 * A message ready to be produced.
 *
 * @example
 * ```ts
 * const message: OutgoingMessage = {
 *   topic: "order-events",
 *   key: "ord-1",
 *   value: '{"event_type":"OrderCreated",...}',
 *   headers: { event_type: "OrderCreated", traceparent },
 * };
 * ```
 */
export interface OutgoingMessage {
  readonly topic: string;
  /** Decides the partition: all messages of one key land on one partition, in order. */
  readonly key: Buffer | string | null;
  /** `null` sends a tombstone. */
  readonly value: Buffer | string | null;
  readonly headers?: OutgoingHeaders;
}

/**
 * Where the broker stored an acknowledged message.
 *
 * @example
 * ```ts
 * const ack: Acknowledgement = { topic: "order-events", partition: 2, offset: "41" };
 * ```
 */
export interface Acknowledgement {
  readonly topic: string;
  readonly partition: number;
  /** Kafka offsets are 64-bit; kept as decimal text. */
  readonly offset: string;
}

/**
 * One acknowledgement per message sent, in the order the messages were given.
 *
 * @example
 * ```ts
 * const { acknowledgements } = await producer.send(messages);
 * ```
 */
export interface SendReport {
  readonly acknowledgements: readonly Acknowledgement[];
}

/**
 * Anything that sends messages with acks = all: the producer, or a stand-in in unit tests.
 *
 * @example
 * ```ts
 * const sender: MessageSender = { send: async (messages) => ({ acknowledgements: [] }) };
 * ```
 */
export interface MessageSender {
  send(messages: readonly OutgoingMessage[]): Promise<SendReport>;
}

const isHeaderList = (headers: OutgoingHeaders): headers is readonly OutgoingHeader[] =>
  Array.isArray(headers);

/**
 * The kafkajs form of the headers. A map already is that form and is passed on as it is
 * (kafkajs only reads it, but may read it again on a retry, even after the send's deadline:
 * a map given to `send` must not change afterwards); a list becomes a map, a repeated name
 * gathering its values in order.
 */
export const toKafkaHeaders = (headers: OutgoingHeaders | undefined): IHeaders => {
  if (headers === undefined) return {};
  if (!isHeaderList(headers)) return headers as IHeaders;
  const result: IHeaders = {};
  for (const { name, value } of headers) {
    const existing = Object.hasOwn(result, name) ? result[name] : undefined;
    if (existing === undefined) setHeader(result, name, value);
    else if (Array.isArray(existing)) existing.push(value);
    else setHeader(result, name, [existing, value]);
  }
  return result;
};

/** Bytes of a header value or key as it goes on the wire. */
const byteLength = (value: Buffer | string | null): number =>
  value === null ? 0 : Buffer.byteLength(value);

/**
 * The most bytes a string can take in UTF-8: 3 per UTF-16 unit (a surrogate pair, 2 units,
 * is 4 bytes). Free to compute, unlike `Buffer.byteLength`, which scans the string.
 */
export const maxUtf8Bytes = (text: string): number => text.length * 3;

/**
 * A header's bytes with its framing, bounded from above without scanning: headers are short,
 * so the bound costs the estimate little and saves a scan of every header of every message.
 */
const headerBytes = (name: string, value: OutgoingHeaderValue): number =>
  maxUtf8Bytes(name) + (typeof value === "string" ? maxUtf8Bytes(value) : value.length) + 10;

/** Per-record framing (lengths, attributes, deltas), generous so estimates err high. */
const RECORD_OVERHEAD_BYTES = 32;

/** An upper estimate of the message's size inside a record batch. */
export const estimateMessageBytes = (message: OutgoingMessage): number => {
  let bytes = RECORD_OVERHEAD_BYTES + byteLength(message.key) + byteLength(message.value);
  const headers = message.headers ?? {};
  // Plain loops: this runs for every message sent, and entry arrays cost more than the sums.
  if (isHeaderList(headers)) {
    for (const { name, value } of headers) bytes += headerBytes(name, value);
  } else {
    for (const name in headers) bytes += headerBytes(name, headers[name] as OutgoingHeaderValue);
  }
  return bytes;
};
