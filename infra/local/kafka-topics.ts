/**
 * Topics on the local broker: created, then waited for until every partition answers.
 *
 * kafkajs' own `waitForLeaders` retries only `LEADER_NOT_AVAILABLE`. Right after a topic is
 * created the broker may still answer `UNKNOWN_TOPIC_OR_PARTITION` (which kafkajs then
 * throws, kafkajs#815) or `NOT_LEADER_FOR_PARTITION`; {@link createTopics} waits through all
 * three, so a topic it returns can be produced to and read at once.
 *
 * @example
 * ```ts
 * await createTopics(kafka, [{ topic: "bench", numPartitions: 6 }]);
 * const created = await ensureTopics(kafka, systemWiring.topics); // ["order-events", ...]
 * ```
 */
import type { Admin, ITopicConfig, Kafka } from "kafkajs";
import { topicConfigs } from "../wiring/topic-configs";
import type { TopicDeclaration } from "../wiring/types";
import { hasKafkaErrorType } from "./kafka-error-type";

/** Metadata errors a topic's partitions may answer with while the broker settles them. */
const SETTLING = new Set([
  "UNKNOWN_TOPIC_OR_PARTITION",
  "LEADER_NOT_AVAILABLE",
  "NOT_LEADER_FOR_PARTITION",
]);
const POLL_MS = 50;

/** Whether every partition of the topic has a leader, and the leaders answer for offsets. */
const isReady = async (admin: Admin, topic: string): Promise<boolean> => {
  try {
    const { topics } = await admin.fetchTopicMetadata({ topics: [topic] });
    const partitions = topics[0]?.partitions ?? [];
    if (partitions.length === 0 || partitions.some((partition) => partition.leader < 0)) {
      return false;
    }
    return (await admin.fetchTopicOffsets(topic)).length === partitions.length;
  } catch (error) {
    if (hasKafkaErrorType(error, SETTLING)) return false;
    throw error;
  }
};

/**
 * Wraps `work` in an admin client of its own. The waits below ask kafkajs for metadata, which
 * replaces the admin's cached metadata with only the topics asked about: a caller's admin
 * would then find no partitions for its other topics.
 */
const withAdmin = async <T>(kafka: Kafka, work: (admin: Admin) => Promise<T>): Promise<T> => {
  const admin = kafka.admin();
  await admin.connect();
  try {
    return await work(admin);
  } finally {
    await admin.disconnect();
  }
};

/**
 * Creates the topics (replication factor 1 unless given) and resolves once every partition of
 * each has a leader that answers; throws after `timeoutMs` without.
 */
export const createTopics = (
  kafka: Kafka,
  topics: readonly ITopicConfig[],
  timeoutMs = 30_000,
): Promise<void> =>
  withAdmin(kafka, async (admin) => {
    await admin.createTopics({
      waitForLeaders: false,
      topics: topics.map((topic) => ({ replicationFactor: 1, ...topic })),
    });
    const deadline = performance.now() + timeoutMs;
    for (const { topic } of topics) {
      while (!(await isReady(admin, topic))) {
        if (performance.now() > deadline) {
          throw new Error(`Topic ${topic} has no leader after ${timeoutMs} ms`);
        }
        await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      }
    }
  });

/**
 * Creates the topics the wiring declares (partitions and `topicConfigs`) on the broker; a topic
 * that exists is left as it is, as on MSK where topics are created on purpose. Returns the
 * names of the topics it created.
 */
export const ensureTopics = async (
  kafka: Kafka,
  topics: readonly TopicDeclaration[],
): Promise<string[]> => {
  const existing = new Set(await withAdmin(kafka, (admin) => admin.listTopics()));
  const missing = topics.filter((topic) => !existing.has(topic.name));
  if (missing.length === 0) return [];
  await createTopics(
    kafka,
    missing.map((topic) => ({
      topic: topic.name,
      numPartitions: topic.partitions,
      configEntries: Object.entries(topicConfigs(topic)).map(([name, value]) => ({ name, value })),
    })),
  );
  return missing.map((topic) => topic.name);
};
