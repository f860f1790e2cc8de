/**
 * The event Lambda passes to a function triggered by Amazon MSK or self-managed Kafka
 * (DESIGN §7): records grouped by "topic-partition", key and value in base64 (either may be
 * missing or null), headers as arrays of bytes. Validated at the edge, so a malformed
 * invocation fails loudly instead of being half-read.
 *
 * @example
 * ```ts
 * const event = lambdaKafkaEventSchema.parse(input);
 * event.eventSource; // "aws:kafka" | "SelfManagedKafka"
 * ```
 */
import { z } from "zod";

const byte = z.number().int().min(0).max(255);

export const lambdaKafkaRecordSchema = z.object({
  topic: z.string().min(1),
  partition: z.number().int().min(0),
  offset: z.number().int().min(0),
  timestamp: z.number(),
  timestampType: z.string(),
  key: z.string().nullish(),
  value: z.string().nullish(),
  headers: z.array(z.record(z.string(), z.array(byte))).default([]),
});

export const lambdaKafkaEventSchema = z.object({
  eventSource: z.enum(["aws:kafka", "SelfManagedKafka"]),
  eventSourceArn: z.string().optional(),
  bootstrapServers: z.string().optional(),
  records: z.record(z.string(), z.array(lambdaKafkaRecordSchema)),
});

export type LambdaKafkaRecord = z.input<typeof lambdaKafkaRecordSchema>;
export type LambdaKafkaEvent = z.input<typeof lambdaKafkaEventSchema>;
