/**
 * Every dead letter of the four places, read into one list: the DLQ topics and on-failure
 * topics on Kafka, the poison items and stream on-failure records in the relay's bucket, with
 * the ledger's marks applied (purged ones left out, redriven ones said so). A stored letter
 * that cannot be read is reported as unreadable, never skipped silently.
 *
 * @example
 * ```ts
 * const { entries, unreadable } = await readInventory(places);
 * ```
 */
import { GetObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import type { Kafka } from "kafkajs";
import { POISON_PREFIX } from "../../outbox/outbox-dead-letters";
import { dlqEntry, onFailureEntry } from "./kafka-entries";
import { readWholeTopic } from "./read-whole-topic";
import { type LedgerMarks, listAll, type RedriveLedger } from "./redrive-ledger";
import { agedOutEntry, poisonEntry } from "./s3-entries";
import type { DeadLetterEntry } from "./types";

/** Lambda writes a stream mapping's on-failure records under this prefix. */
export const LAMBDA_ON_FAILURE_PREFIX = "aws/lambda/";

/** Where the dead letters are, and the clients that reach them. */
export interface DeadLetterPlaces {
  readonly kafka: Kafka;
  readonly s3: S3Client;
  /** Our DLQ topics, e.g. `order-events.dlq`. */
  readonly deadLetterTopics: readonly string[];
  /** Provisioned mappings' on-failure topics, e.g. `order-events.on-failure`. */
  readonly onFailureTopics: readonly string[];
  /** The relay's bucket: poison items, the stream mapping's on-failure records, the ledger. */
  readonly bucket: string;
  readonly ledger: RedriveLedger;
}

/** A stored letter that is not one of the formats, with why. */
export interface UnreadableLetter {
  readonly where: string;
  readonly error: string;
}

/** What the places hold. */
export interface Inventory {
  readonly entries: readonly DeadLetterEntry[];
  readonly unreadable: readonly UnreadableLetter[];
}

const message = (error: unknown): string =>
  error instanceof Error ? error.message : String(error);

/** Reads with `read`, or notes the letter as unreadable. */
const attempt = (
  where: string,
  read: () => DeadLetterEntry,
  unreadable: UnreadableLetter[],
): DeadLetterEntry[] => {
  try {
    return [read()];
  } catch (error) {
    unreadable.push({ where, error: message(error) });
    return [];
  }
};

const kafkaEntries = async (
  places: DeadLetterPlaces,
  unreadable: UnreadableLetter[],
): Promise<DeadLetterEntry[]> => {
  const read = async (topic: string, toEntry: typeof dlqEntry) =>
    (await readWholeTopic(places.kafka, topic)).flatMap((record) =>
      attempt(`${topic}:${record.partition}:${record.offset}`, () => toEntry(record), unreadable),
    );
  const lists = await Promise.all([
    ...places.deadLetterTopics.map((topic) => read(topic, dlqEntry)),
    ...places.onFailureTopics.map((topic) => read(topic, onFailureEntry)),
  ]);
  return lists.flat();
};

const objectJson = async (s3: S3Client, bucket: string, key: string): Promise<unknown> => {
  const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return JSON.parse((await object.Body?.transformToString("utf8")) ?? "null");
};

const s3Entries = async (
  places: DeadLetterPlaces,
  unreadable: UnreadableLetter[],
): Promise<DeadLetterEntry[]> => {
  const read = async (prefix: string, toEntry: typeof poisonEntry) => {
    const objects = await listAll(places.s3, places.bucket, prefix);
    const lists = await Promise.all(
      objects.map(async ({ key }) => {
        const where = `s3://${places.bucket}/${key}`;
        try {
          const json = await objectJson(places.s3, places.bucket, key);
          return attempt(where, () => toEntry(key, json), unreadable);
        } catch (error) {
          unreadable.push({ where, error: message(error) });
          return [];
        }
      }),
    );
    return lists.flat();
  };
  const [poison, agedOut] = await Promise.all([
    read(POISON_PREFIX, poisonEntry),
    read(LAMBDA_ON_FAILURE_PREFIX, agedOutEntry),
  ]);
  return [...poison, ...agedOut];
};

/**
 * The entry as the ledger's marks say: redriven only when its redrive started strictly after
 * its last failure. A redrive's mark is the time it started sending, so a letter that is
 * still poison and parked again by that redrive fails at or after its mark, in the same
 * millisecond too, and must show as not redriven, or the next redrive would skip it.
 *
 * @example
 * ```ts
 * withMarks(entry, { redriven: new Map([[entry.summary.id, new Date()]]), purged: new Map() })
 *   .summary.redriven_at; // the mark's time, when the letter failed before it
 * ```
 */
export const withMarks = (entry: DeadLetterEntry, marks: LedgerMarks): DeadLetterEntry => {
  const redriven = marks.redriven.get(entry.summary.id);
  const lastFailure = new Date(entry.summary.last_failure_at);
  if (redriven === undefined || redriven <= lastFailure) return entry;
  return { ...entry, summary: { ...entry.summary, redriven_at: redriven.toISOString() } };
};

/** A purge hides a letter only as it was then: failing again after it shows it again. */
const isPurged = (entry: DeadLetterEntry, marks: LedgerMarks): boolean => {
  const purged = marks.purged.get(entry.summary.id);
  return purged !== undefined && purged >= new Date(entry.summary.last_failure_at);
};

/** Every dead letter the places hold, newest last failure first, purged ones left out. */
export const readInventory = async (places: DeadLetterPlaces): Promise<Inventory> => {
  const unreadable: UnreadableLetter[] = [];
  const [fromKafka, fromS3, marks] = await Promise.all([
    kafkaEntries(places, unreadable),
    s3Entries(places, unreadable),
    places.ledger.read(),
  ]);
  const entries = [...fromKafka, ...fromS3]
    .filter((entry) => !isPurged(entry, marks))
    .map((entry) => withMarks(entry, marks))
    .sort(
      (a, b) =>
        b.summary.last_failure_at.localeCompare(a.summary.last_failure_at) ||
        a.summary.id.localeCompare(b.summary.id),
    );
  return { entries, unreadable };
};
