/**
 * What the demo asks the broker, with the admin client: the end offsets of a topic's
 * partitions, the offsets a consumer group committed, whether the declared topics exist.
 *
 * @example
 * ```ts
 * const observer = await connectKafkaObserver(kafka, "127.0.0.1:9092");
 * await observer.endOffsets("order-events"); // Map { 0 => 41, 1 => 38, ... }
 * await observer.committedOffsets("order-created-v1", "order-events");
 * ```
 */
import { setTimeout as sleep } from "node:timers/promises";
import type { Admin, Kafka } from "kafkajs";
import { hasKafkaErrorType } from "../kafka-error-type";

/** The broker did not answer where the local runtime's Kafka should be. */
export class KafkaUnreachableError extends Error {
  override readonly name = "KafkaUnreachableError";

  constructor(
    readonly brokers: string,
    cause: unknown,
  ) {
    super(
      `Kafka does not answer at ${brokers} (${cause instanceof Error ? cause.message : String(cause)}). Start the local system with \`npm start\` (LOCAL_KAFKA_PORT or KAFKA_BROKERS say where it is).`,
      { cause },
    );
  }
}

/** Topics the wiring declares are not on the broker: no runtime created them there. */
export class MissingTopicsError extends Error {
  override readonly name = "MissingTopicsError";

  constructor(
    readonly topics: readonly string[],
    readonly brokers: string,
  ) {
    super(
      `Topics ${topics.join(", ")} do not exist at ${brokers}: is \`npm start\` running against this broker?`,
    );
  }
}

/**
 * What a broker answers a group request with while its group coordinator is starting (error
 * codes 14, 15 and 16, by kafkajs's names).
 */
const COORDINATOR_STARTING = new Set([
  "GROUP_LOAD_IN_PROGRESS",
  "GROUP_COORDINATOR_NOT_AVAILABLE",
  "NOT_COORDINATOR_FOR_GROUP",
]);

/** How long a broker that has just started may take to load its group coordinator. */
const COORDINATOR_START_MS = 30_000;

/**
 * `ask`'s answer, asked again while the broker's group coordinator is starting (a broker that
 * has just started loads its offsets first, longer on a busy machine), for up to `withinMs`;
 * any other error, or the same one after that, is thrown.
 *
 * @example
 * ```ts
 * const [offsets] = await whileCoordinatorStarts(() => admin.fetchOffsets({ groupId, topics }));
 * ```
 */
export const whileCoordinatorStarts = async <T>(
  ask: () => Promise<T>,
  withinMs = COORDINATOR_START_MS,
): Promise<T> => {
  const deadline = Date.now() + withinMs;
  for (let delayMs = 100; ; delayMs = Math.min(delayMs * 2, 2_000)) {
    try {
      return await ask();
    } catch (error) {
      if (!hasKafkaErrorType(error, COORDINATOR_STARTING) || Date.now() + delayMs > deadline) {
        throw error;
      }
      await sleep(delayMs);
    }
  }
};

export interface KafkaObserver {
  readonly admin: Admin;
  /** The next offset to be written, per partition (the high watermark). */
  endOffsets(topic: string): Promise<Map<number, number>>;
  /**
   * Committed offsets per partition; a partition the group never committed on is absent.
   * Waits while the broker's group coordinator is starting ({@link whileCoordinatorStarts}).
   */
  committedOffsets(groupId: string, topic: string): Promise<Map<number, number>>;
  /** Throws {@link MissingTopicsError} naming every topic the broker lacks. */
  requireTopics(topics: readonly string[]): Promise<void>;
  disconnect(): Promise<void>;
}

export const connectKafkaObserver = async (
  kafka: Kafka,
  brokers: string,
): Promise<KafkaObserver> => {
  const admin = kafka.admin();
  try {
    await admin.connect();
    await admin.listTopics();
  } catch (error) {
    await admin.disconnect().catch(() => undefined);
    throw new KafkaUnreachableError(brokers, error);
  }
  return {
    admin,
    endOffsets: async (topic) =>
      new Map(
        (await admin.fetchTopicOffsets(topic)).map((partition) => [
          partition.partition,
          Number(partition.high),
        ]),
      ),
    committedOffsets: async (groupId, topic) => {
      const [offsets] = await whileCoordinatorStarts(() =>
        admin.fetchOffsets({ groupId, topics: [topic] }),
      );
      return new Map(
        (offsets?.partitions ?? [])
          .filter((partition) => Number(partition.offset) >= 0)
          .map((partition) => [partition.partition, Number(partition.offset)]),
      );
    },
    requireTopics: async (topics) => {
      const existing = new Set(await admin.listTopics());
      const missing = topics.filter((topic) => !existing.has(topic));
      if (missing.length > 0) throw new MissingTopicsError(missing, brokers);
    },
    disconnect: () => admin.disconnect(),
  };
};
