/**
 * Reads the message an outbox item carries straight from a DynamoDB stream image
 * (attribute-value form): topic, key, value, headers and event id, which is everything the
 * relay publishes. An image that cannot become a Kafka message is a
 * {@link PoisonOutboxItemError}: retrying the same item can never succeed, so the relay parks
 * it instead of blocking its shard.
 *
 * The image is validated in its attribute-value form, field by field, rather than converted
 * whole with `unmarshall` and validated afterwards: that conversion touches every attribute,
 * the bookkeeping ones the relay never reads too, on every record the relay publishes. The
 * header map is checked by one predicate, as `lambda-kafka-event` checks Lambda's records,
 * rather than by a zod schema per header entry, which would do far more work than the
 * other fields together. The item's fields: `docs/architecture.md`, "Outbox item".
 *
 * @example
 * ```ts
 * const message = readOutboxImage(record.dynamodb.NewImage, { maxMessageBytes }); // or throws
 * message.headers.traceparent;
 * ```
 */
import type { AttributeValue } from "@aws-sdk/client-dynamodb";
import * as z from "zod/mini";
import "../config/zod-messages";
import { PermanentError } from "../errors";
import { setHeader, type TextHeaders } from "../kafka/headers";
import { maxUtf8Bytes } from "../kafka/outgoing-message";
import type { OutboxItem } from "./outbox-item";

/**
 * An outbox item that can never become a Kafka message: no new image, a missing or malformed
 * field, or a message above the broker's maximum size. Its message is the reason parked
 * with the item.
 *
 * @example
 * ```ts
 * if (error instanceof PoisonOutboxItemError) error.message; // "The outbox item is incomplete: topic: ..."
 * ```
 */
export class PoisonOutboxItemError extends PermanentError {
  override readonly name = "PoisonOutboxItemError";
}

/** What the relay publishes of an outbox item. */
export type OutboxMessage = Pick<
  OutboxItem,
  "topic" | "message_key" | "value" | "headers" | "event_id"
>;

/** A string attribute, `{ "S": "..." }`, with some text. */
const nonEmptyString = z.object({ S: z.string().check(z.minLength(1, "must not be empty")) });

/**
 * A topic name as Kafka allows it: 1 to 249 of `A-Z a-z 0-9 . _ -`, and not `.` or `..`.
 *
 * @example
 * ```ts
 * KAFKA_TOPIC_NAME.test("order-events"); // true
 * ```
 */
export const KAFKA_TOPIC_NAME = /^(?!\.\.?$)[A-Za-z0-9._-]{1,249}$/;

/**
 * A string attribute naming a topic as Kafka allows it. The broker refuses another name for
 * every message sent to it, which would hold up the item's shard until the stream dropped it.
 */
const topicName = z.object({
  S: z
    .string()
    .check(
      z.regex(
        KAFKA_TOPIC_NAME,
        'must be a Kafka topic name: 1 to 249 of A-Z a-z 0-9 . _ -, and not "." or ".."',
      ),
    ),
});

type StringMap = Readonly<Record<string, { readonly S: string }>>;

const isStringMap = (value: unknown): value is StringMap => {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  for (const name in value) {
    const entry = (value as Record<string, unknown>)[name];
    if (typeof entry !== "object" || entry === null) return false;
    if (typeof (entry as { S?: unknown }).S !== "string") return false;
  }
  return true;
};

/**
 * The attributes of an outbox item's image the relay reads; others are left unread. That the
 * record is an outbox item the relay has already decided from its keys (the sort key's
 * prefix), as the trigger's filter does.
 */
export const outboxImageSchema = z.object({
  topic: topicName,
  message_key: nonEmptyString,
  value: nonEmptyString,
  event_id: nonEmptyString,
  headers: z.object({
    M: z.custom<StringMap>(isStringMap, "must map header names to string attributes"),
  }),
});

/** `topic.S: …` reads as `topic: …`: the reason names the item's field, not the wire form. */
const fieldPath = (path: readonly PropertyKey[]): string => {
  const field = path[0] === undefined ? "(image)" : String(path[0]);
  return path.length > 2 ? `${field}.${path.slice(2).map(String).join(".")}` : field;
};

/** The bytes of a message's value, key and headers, each string measured by `bytes`. */
const messageBytes = (
  value: string,
  key: string,
  headers: TextHeaders,
  bytes: (text: string) => number,
): number => {
  let total = bytes(value) + bytes(key);
  for (const name in headers) total += bytes(name) + bytes(headers[name] as string);
  return total;
};

/**
 * What {@link readOutboxImage} holds a message to.
 *
 * @example
 * ```ts
 * const limits: OutboxMessageLimits = { maxMessageBytes: 1_000_000, topics: new Set(["order-events"]) };
 * ```
 */
export interface OutboxMessageLimits {
  /** The largest message, in UTF-8 bytes of value, key and headers. */
  readonly maxMessageBytes: number;
  /**
   * The topics a message may go to; any legal name when absent. A topic outside them would
   * fail every send (unknown, or not authorized) and hold up the item's shard.
   */
  readonly topics?: ReadonlySet<string>;
}

/**
 * The message an outbox item's stream image carries, checked: every field present, the topic
 * a legal Kafka topic name and one of `limits.topics`, and the whole message within
 * `limits.maxMessageBytes`.
 *
 * @throws {PoisonOutboxItemError} when the image cannot become a Kafka message.
 * @example
 * ```ts
 * const message = readOutboxImage(record.dynamodb?.NewImage, { maxMessageBytes: 1_000_000 });
 * await sender.send([{ topic: message.topic, key: message.message_key, value: message.value,
 *   headers: message.headers }]);
 * ```
 */
export const readOutboxImage = (
  image: Record<string, AttributeValue> | undefined,
  limits: OutboxMessageLimits,
): OutboxMessage => {
  if (image === undefined) throw new PoisonOutboxItemError("The stream record has no new image");
  const parsed = outboxImageSchema.safeParse(image);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => `${fieldPath(issue.path)}: ${issue.message}`);
    throw new PoisonOutboxItemError(`The outbox item is incomplete: ${issues.join("; ")}`);
  }
  const { topic, message_key, value, event_id, headers } = parsed.data;
  if (limits.topics !== undefined && !limits.topics.has(topic.S)) {
    throw new PoisonOutboxItemError(
      `The topic "${topic.S}" is not one the relay publishes to (${[...limits.topics].join(", ")})`,
    );
  }
  const text: TextHeaders = {};
  for (const name in headers.M)
    setHeader(text, name, (headers.M[name] as { readonly S: string }).S);
  // Counted exactly only when the free upper bound does not already show that it fits.
  if (messageBytes(value.S, message_key.S, text, maxUtf8Bytes) > limits.maxMessageBytes) {
    const size = messageBytes(value.S, message_key.S, text, Buffer.byteLength);
    if (size > limits.maxMessageBytes) {
      throw new PoisonOutboxItemError(
        `The message would be ${size} bytes, above the broker's maximum of ${limits.maxMessageBytes}`,
      );
    }
  }
  return {
    topic: topic.S,
    message_key: message_key.S,
    value: value.S,
    event_id: event_id.S,
    headers: text,
  };
};
