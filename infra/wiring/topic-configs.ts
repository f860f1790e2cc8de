/**
 * The Kafka configs a topic declaration stands for, the same on MSK (`AWS::MSK::Topic`) and
 * on the local broker: its retention, and its largest record batch when it declares one.
 *
 * @example
 * ```ts
 * topicConfigs({ name: "t.dlq", partitions: 3, retentionHours: 336, maxMessageBytes: 1_114_124 });
 * // { "retention.ms": "1209600000", "max.message.bytes": "1114124" }
 * ```
 */
import type { TopicDeclaration } from "./types";

const HOUR_MS = 3_600_000;

export const topicConfigs = (topic: TopicDeclaration): Record<string, string> => ({
  "retention.ms": String(topic.retentionHours * HOUR_MS),
  ...(topic.maxMessageBytes === undefined
    ? {}
    : { "max.message.bytes": String(topic.maxMessageBytes) }),
});
