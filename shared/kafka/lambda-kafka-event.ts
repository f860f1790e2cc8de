/**
 * The event Lambda passes to a function triggered by Amazon MSK or self-managed Kafka (see
 * docs/architecture.md, Lambda event sources): records grouped by "topic-partition", key and
 * value in base64 (either may be missing or null), headers as arrays of bytes. Validated at
 * the edge, so an invocation that is not such an event fails loudly instead of being
 * half-read.
 *
 * A batch holds up to 10,000 records with a dozen headers of dozens of bytes each, so each
 * record is checked by one hand-written predicate rather than by a zod schema per field and
 * per byte, which would cost more than everything else a consumer does with the record.
 * `headers` must be an array here; each header is checked when the record is taken out of
 * the event (`toKafkaRecord`).
 */
import * as z from "zod/mini";
import type { KafkaRecordOrigin } from "./kafka-record";

/**
 * One record of a Lambda Kafka event, as Lambda sends it.
 *
 * @example
 * ```ts
 * const record: LambdaKafkaRecord = {
 *   topic: "order-events", partition: 0, offset: 15, timestamp: 1764147600000,
 *   timestampType: "CREATE_TIME", key: "b3JkLTE=", value: "eyJ...",
 *   headers: [{ traceparent: [48, 48, 45] }],
 * };
 * ```
 */
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
   * is checked when the record is taken out of the event.
   */
  headers?: readonly unknown[];
}

const isOptionalText = (value: unknown): boolean =>
  value === undefined || value === null || typeof value === "string";

const isCount = (value: unknown): boolean => Number.isInteger(value) && (value as number) >= 0;

/**
 * True when `value` has every field of a Lambda Kafka record with the right type, and its
 * headers (if any) as an array.
 *
 * @example
 * ```ts
 * isLambdaKafkaRecord({ topic: "t", partition: 0, offset: 1, timestamp: 0, timestampType: "CREATE_TIME" }); // true
 * ```
 */
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

/**
 * The schema of one Lambda Kafka record: {@link isLambdaKafkaRecord} as a zod check.
 *
 * @example
 * ```ts
 * lambdaKafkaRecordSchema.safeParse(record).success;
 * ```
 */
export const lambdaKafkaRecordSchema = z.custom<LambdaKafkaRecord>(isLambdaKafkaRecord, {
  message:
    "must be a Kafka record: topic, partition, offset, timestamp, timestampType, base64 key and value (or null), headers as an array",
});

/**
 * The schema of a whole Lambda Kafka event.
 *
 * @example
 * ```ts
 * const event = lambdaKafkaEventSchema.parse(input);
 * event.eventSource; // "aws:kafka" | "SelfManagedKafka"
 * ```
 */
export const lambdaKafkaEventSchema = z.object({
  eventSource: z.enum(["aws:kafka", "SelfManagedKafka"]),
  eventSourceArn: z.optional(z.string()),
  bootstrapServers: z.optional(z.string()),
  records: z.record(z.string(), z.array(lambdaKafkaRecordSchema)),
});

/**
 * The event of a Kafka-triggered function, as Lambda passes it.
 *
 * @example
 * ```ts
 * export const handler = async (event: LambdaKafkaEvent) => toKafkaRecords(event).length;
 * ```
 */
export type LambdaKafkaEvent = z.input<typeof lambdaKafkaEventSchema>;

/**
 * A record of a hand-made Lambda event whose headers are not Lambda's shape (each header an
 * object of one array of bytes, see docs/architecture.md, Lambda event sources). Lambda never
 * sends such headers, so taking the record out of its event fails the whole invocation,
 * naming the record and the header.
 *
 * @example
 * ```ts
 * toKafkaRecords(event); // throws: order-events-3@9 has malformed headers: header 0 ("broken") is not an array of bytes
 * ```
 */
export class MalformedHeadersError extends Error {
  override readonly name = "MalformedHeadersError";

  constructor(origin: Pick<KafkaRecordOrigin, "topic" | "partition" | "offset">, detail: string) {
    super(`${origin.topic}-${origin.partition}@${origin.offset} has malformed headers: ${detail}`);
  }
}
