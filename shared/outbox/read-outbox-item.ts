/**
 * Reads an outbox item back from a DynamoDB stream image (attribute-value form). An image
 * that cannot become a Kafka message is a {@link PoisonOutboxItemError}: retrying the same
 * item can never succeed, so the relay parks it instead of blocking its shard.
 *
 * @example
 * ```ts
 * const item = readOutboxImage(record.dynamodb.NewImage); // OutboxItem, or throws
 * ```
 */
import type { AttributeValue } from "@aws-sdk/client-dynamodb";
import { unmarshall } from "@aws-sdk/util-dynamodb";
import { z } from "zod";
import { PermanentError } from "../errors";
import { OUTBOX_SORT_KEY_PREFIX, type OutboxItem } from "./outbox-item";

export class PoisonOutboxItemError extends PermanentError {
  override readonly name = "PoisonOutboxItemError";
}

const outboxItemSchema = z.object({
  pk: z.string().min(1),
  sk: z.string().startsWith(OUTBOX_SORT_KEY_PREFIX),
  item_type: z.literal("OUTBOX"),
  topic: z.string().min(1),
  message_key: z.string().min(1),
  value: z.string().min(1),
  headers: z.record(z.string(), z.string()),
  event_id: z.string().min(1),
  event_type: z.string().min(1),
  aggregate_id: z.string().min(1),
  aggregate_version: z.number().int().min(1),
  created_at: z.string(),
  expires_at: z.number(),
});

export const readOutboxImage = (
  image: Record<string, AttributeValue> | undefined,
  limits: { readonly maxMessageBytes: number },
): OutboxItem => {
  if (image === undefined) throw new PoisonOutboxItemError("The stream record has no new image");
  let plain: Record<string, unknown>;
  try {
    plain = unmarshall(image);
  } catch (error) {
    throw new PoisonOutboxItemError(
      `The image is not attribute-value data: ${(error as Error).message}`,
    );
  }
  const parsed = outboxItemSchema.safeParse(plain);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
    throw new PoisonOutboxItemError(`The outbox item is incomplete: ${issues.join("; ")}`);
  }
  const size =
    Buffer.byteLength(parsed.data.value) +
    Buffer.byteLength(parsed.data.message_key) +
    Object.entries(parsed.data.headers).reduce(
      (sum, [name, value]) => sum + Buffer.byteLength(name) + Buffer.byteLength(value),
      0,
    );
  if (size > limits.maxMessageBytes) {
    throw new PoisonOutboxItemError(
      `The message would be ${size} bytes, above the broker's maximum of ${limits.maxMessageBytes}`,
    );
  }
  return parsed.data as OutboxItem;
};
