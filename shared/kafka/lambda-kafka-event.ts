/**
 * The event Lambda passes to a function triggered by Amazon MSK or self-managed Kafka
 * (DESIGN §7): records grouped by "topic-partition", key and value in base64 (either may be
 * missing or null), headers as arrays of bytes. Validated at the edge, so an invocation that
 * is not such an event fails loudly instead of being half-read.
 *
 * A batch holds up to 10,000 records with a dozen headers of dozens of bytes each, so each
 * record is checked by one predicate rather than by a zod schema per field and per byte
 * (which cost ~70 µs a record, more than everything else a consumer does). `headers` must be
 * an array; each header is checked when the record's headers are first read (an object of
 * arrays, else a `MalformedHeadersError` naming the record), and its elements are taken as
 * bytes (the low 8 bits, so Java's signed bytes, -128..127, read right), as Powertools does:
 * checking every header of every record up front costs a consumer 15% of its time, and
 * most records are applied without reading one.
 *
 * @example
 * ```ts
 * const event = lambdaKafkaEventSchema.parse(input);
 * event.eventSource; // "aws:kafka" | "SelfManagedKafka"
 * ```
 */
import { z } from "zod";

export interface LambdaKafkaRecord {
  topic: string;
  partition: number;
  offset: number;
  timestamp: number;
  timestampType: string;
  /** Base64; missing or null when the record has no key. */
  key?: string | null;
  /** Base64; missing or null for a tombstone. */
  value?: string | null;
  /**
   * One single-entry object per header, in order: `[{ "traceparent": [48, 48, ...] }]`; each
   * is checked when the record's headers are first read.
   */
  headers?: readonly unknown[];
}

const isOptionalText = (value: unknown): boolean =>
  value === undefined || value === null || typeof value === "string";

const isCount = (value: unknown): boolean => Number.isInteger(value) && (value as number) >= 0;

/** True when `value` has every field of a Lambda Kafka record with the right type. */
export const isLambdaKafkaRecord = (value: unknown): value is LambdaKafkaRecord => {
  if (typeof value !== "object" || value === null) return false;
  const record = value as Record<string, unknown>;
  if (typeof record.topic !== "string" || record.topic.length === 0) return false;
  if (!isCount(record.partition) || !isCount(record.offset)) return false;
  if (typeof record.timestamp !== "number" || typeof record.timestampType !== "string") {
    return false;
  }
  if (!isOptionalText(record.key) || !isOptionalText(record.value)) return false;
  return record.headers === undefined || Array.isArray(record.headers);
};

export const lambdaKafkaRecordSchema = z.custom<LambdaKafkaRecord>(isLambdaKafkaRecord, {
  message:
    "must be a Kafka record: topic, partition, offset, timestamp, timestampType, base64 key and value (or null), headers as an array",
});

/** Compiled (`z.compile`): the walk over up to 10,000 records runs as one flat validator. */
export const lambdaKafkaEventSchema = z.compile(
  z.object({
    eventSource: z.enum(["aws:kafka", "SelfManagedKafka"]),
    eventSourceArn: z.string().optional(),
    bootstrapServers: z.string().optional(),
    records: z.record(z.string(), z.array(lambdaKafkaRecordSchema)),
  }),
);

export type LambdaKafkaEvent = z.input<typeof lambdaKafkaEventSchema>;
