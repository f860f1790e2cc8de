/**
 * Creates the topics the wiring declares (partitions and retention) on the broker; a topic
 * that exists is left as it is, as on MSK where topics are created on purpose.
 *
 * @example
 * ```ts
 * const created = await ensureTopics(admin, systemWiring.topics); // ["order-events", ...]
 * ```
 */
import type { Admin } from "kafkajs";
import type { TopicDeclaration } from "../wiring/types";

export const ensureTopics = async (
  admin: Admin,
  topics: readonly TopicDeclaration[],
): Promise<string[]> => {
  const existing = new Set(await admin.listTopics());
  const missing = topics.filter((topic) => !existing.has(topic.name));
  if (missing.length === 0) return [];
  await admin.createTopics({
    waitForLeaders: true,
    topics: missing.map((topic) => ({
      topic: topic.name,
      numPartitions: topic.partitions,
      replicationFactor: 1,
      configEntries: [{ name: "retention.ms", value: String(topic.retentionHours * 3_600_000) }],
    })),
  });
  return missing.map((topic) => topic.name);
};
