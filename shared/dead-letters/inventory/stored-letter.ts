/**
 * Bytes as `show` prints them: JSON decoded when the bytes are JSON, base64 otherwise, so a
 * dead letter whose value is not text is shown whole without corrupting it.
 *
 * @example
 * ```ts
 * decodedValue(Buffer.from('{"a":1}')); // { a: 1 }
 * decodedValue(Buffer.from([0xff])); // { base64: "/w==" }
 * ```
 */
import type { KafkaRecord } from "../../kafka/kafka-record";
import type { StoredLetter } from "./types";

/** JSON when the bytes are UTF-8 JSON, `{ base64 }` otherwise, `null` for a tombstone. */
export const decodedValue = (bytes: Buffer | null): unknown => {
  if (bytes === null) return null;
  const text = new TextDecoder("utf-8", { fatal: false }).decode(bytes);
  if (Buffer.from(text, "utf8").equals(bytes)) {
    try {
      return JSON.parse(text);
    } catch {
      // Not JSON: shown as bytes below, like any other value.
    }
  }
  return { base64: bytes.toString("base64") };
};

/** A Kafka record as `show` prints it: key as text, headers as text, value decoded. */
export const storedKafkaLetter = (
  record: Pick<KafkaRecord, "key" | "value" | "headers">,
): StoredLetter => ({
  key: record.key === null ? null : record.key.toString("utf8"),
  headers: record.headers.map((header) => ({
    name: header.name,
    value: header.value.toString("utf8"),
  })),
  value: decodedValue(record.value),
});

/** The `event_type` and `event_id` of a value, when it is a JSON object that has them. */
export const eventIdentity = (
  value: Buffer | string | null | undefined,
): { readonly eventType: string | null; readonly eventId: string | null } => {
  if (value === null || value === undefined) return { eventType: null, eventId: null };
  try {
    const parsed: unknown = JSON.parse(typeof value === "string" ? value : value.toString("utf8"));
    if (typeof parsed !== "object" || parsed === null) return { eventType: null, eventId: null };
    const fields = parsed as Record<string, unknown>;
    return {
      eventType: typeof fields.event_type === "string" ? fields.event_type : null,
      eventId: typeof fields.event_id === "string" ? fields.event_id : null,
    };
  } catch {
    return { eventType: null, eventId: null };
  }
};
