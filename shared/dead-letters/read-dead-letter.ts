/**
 * Takes a consumed dead letter apart again: the original record exactly as it was (key,
 * value bytes, headers in order, source topic, partition, offset, timestamp) and why it
 * failed. The original is all a redrive needs: {@link redriveMessage} sends it back to its
 * source topic unchanged.
 *
 * The metadata is the last header of each `dlq_*` name, so a record that already carried
 * `dlq_*` headers (a dead letter that failed again after a redrive) keeps them as its own.
 * A reduced letter (`failure.contentOmitted` set) holds no original value or headers: its
 * original is read from the source topic at the position it names, never redriven from it.
 *
 * @example
 * ```ts
 * const { original, failure } = readDeadLetter(consumedRecord);
 * failure.kind; // "permanent"
 * await producer.send([redriveMessage(original)]);
 * ```
 */
import * as z from "zod/mini";
import "../config/zod-messages";
import type { KafkaRecord, KafkaRecordHeader } from "../kafka/kafka-record";
import type { OutgoingMessage } from "../kafka/outgoing-message";
import { CONTENT_OMITTED_HEADER, DEAD_LETTER_HEADER, DEAD_LETTER_KINDS } from "./constants";
import { NotADeadLetterError } from "./errors";
import type { ReadDeadLetter } from "./types";

const integer = (min: number) =>
  z.pipe(
    z.pipe(z.string().check(z.regex(/^-?\d+$/, "must be an integer")), z.transform(Number)),
    z.int().check(z.gte(min)),
  );
const isoDate = z.pipe(
  z.iso.datetime(),
  z.transform((text: string) => new Date(text)),
);

const metadataSchema = z.object({
  [DEAD_LETTER_HEADER.sourceTopic]: z.string().check(z.minLength(1)),
  [DEAD_LETTER_HEADER.sourcePartition]: integer(0),
  [DEAD_LETTER_HEADER.sourceOffset]: integer(0),
  [DEAD_LETTER_HEADER.sourceTimestamp]: integer(-1),
  [DEAD_LETTER_HEADER.sourceTimestampType]: z.string(),
  [DEAD_LETTER_HEADER.errorClass]: z.string(),
  [DEAD_LETTER_HEADER.errorMessage]: z.string(),
  [DEAD_LETTER_HEADER.errorKind]: z.enum(DEAD_LETTER_KINDS),
  [DEAD_LETTER_HEADER.function]: z.string().check(z.minLength(1)),
  [DEAD_LETTER_HEADER.attempts]: integer(1),
  [DEAD_LETTER_HEADER.firstFailureAt]: isoDate,
  [DEAD_LETTER_HEADER.lastFailureAt]: isoDate,
  [CONTENT_OMITTED_HEADER]: z.optional(z.string()),
});

const metadataNames: ReadonlySet<string> = new Set([
  ...Object.values(DEAD_LETTER_HEADER),
  CONTENT_OMITTED_HEADER,
]);

/** The metadata (last header of each `dlq_*` name, as text) and every other header, in order. */
const separate = (
  headers: readonly KafkaRecordHeader[],
): { metadata: Record<string, string>; original: KafkaRecordHeader[] } => {
  const lastIndex = new Map<string, number>();
  headers.forEach((header, index) => {
    if (metadataNames.has(header.name)) lastIndex.set(header.name, index);
  });
  const metadata: Record<string, string> = {};
  for (const [name, index] of lastIndex) {
    metadata[name] = headers[index]?.value.toString("utf8") ?? "";
  }
  const metadataIndexes = new Set(lastIndex.values());
  return { metadata, original: headers.filter((_header, index) => !metadataIndexes.has(index)) };
};

/**
 * The original record and the failure a dead letter carries.
 *
 * @throws {NotADeadLetterError} when a metadata header is missing or malformed.
 * @example
 * ```ts
 * const { original, failure } = readDeadLetter(record);
 * `${original.topic}/${original.partition}@${original.offset}: ${failure.errorMessage}`;
 * ```
 */
export const readDeadLetter = (
  deadLetter: Pick<KafkaRecord, "key" | "value" | "headers">,
): ReadDeadLetter => {
  const { metadata, original } = separate(deadLetter.headers);
  const parsed = metadataSchema.safeParse(metadata);
  if (!parsed.success) {
    throw new NotADeadLetterError(
      parsed.error.issues.map((issue) => {
        const name = issue.path.join(".");
        return metadata[name] === undefined ? `${name}: is missing` : `${name}: ${issue.message}`;
      }),
    );
  }
  const data = parsed.data;
  const contentOmitted = data[CONTENT_OMITTED_HEADER];
  return {
    original: {
      topic: data[DEAD_LETTER_HEADER.sourceTopic],
      partition: data[DEAD_LETTER_HEADER.sourcePartition],
      offset: data[DEAD_LETTER_HEADER.sourceOffset],
      timestamp: data[DEAD_LETTER_HEADER.sourceTimestamp],
      timestampType: data[DEAD_LETTER_HEADER.sourceTimestampType],
      key: deadLetter.key,
      value: deadLetter.value,
      headers: original,
    },
    failure: {
      kind: data[DEAD_LETTER_HEADER.errorKind],
      errorClass: data[DEAD_LETTER_HEADER.errorClass],
      errorMessage: data[DEAD_LETTER_HEADER.errorMessage],
      functionName: data[DEAD_LETTER_HEADER.function],
      attempts: data[DEAD_LETTER_HEADER.attempts],
      firstFailureAt: data[DEAD_LETTER_HEADER.firstFailureAt],
      lastFailureAt: data[DEAD_LETTER_HEADER.lastFailureAt],
      ...(contentOmitted === undefined ? {} : { contentOmitted }),
    },
  };
};

/**
 * The original record as a message to its source topic: same key, value and headers. Not for
 * a reduced letter, whose original value is not in it (`failure.contentOmitted`).
 *
 * @example
 * ```ts
 * await producer.send([redriveMessage(readDeadLetter(record).original)]);
 * ```
 */
export const redriveMessage = (original: KafkaRecord): OutgoingMessage => ({
  topic: original.topic,
  key: original.key,
  value: original.value,
  headers: original.headers,
});
