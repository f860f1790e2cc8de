/**
 * The Kafka event source mappings of a topic, from the one declaration of the wiring: each
 * consuming function's name, consumer group and filters. The demo reads group ids and
 * function names here rather than knowing them.
 *
 * @example
 * ```ts
 * topicMappings(systemWiring, "order-events");
 * // [{ functionName: "order-created", groupId: "order-created-v1", filters: [...] }, ...]
 * ```
 */
import type { FilterPattern, SystemWiring } from "../../wiring/types";

export interface TopicMapping {
  readonly functionName: string;
  readonly groupId: string;
  readonly filters: readonly FilterPattern[];
}

export const topicMappings = (wiring: SystemWiring, topic: string): TopicMapping[] =>
  wiring.functions.flatMap((fn) =>
    fn.trigger?.kind === "kafka" && fn.trigger.topic === topic
      ? [
          {
            functionName: fn.name,
            groupId: fn.trigger.consumerGroupId,
            filters: fn.trigger.filters,
          },
        ]
      : [],
  );
