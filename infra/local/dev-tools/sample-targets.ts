/**
 * What `npm run event` can make samples for, read from the wiring: the Kafka triggers (by
 * function or topic) with the event types their filters take, the stream triggers (by
 * function or table) with the topic their function publishes to, and every declared route
 * with the function serving it. A trigger or route added to the wiring is here at once.
 *
 * @example
 * ```ts
 * const targets = sampleTargets(systemWiring);
 * targets.kafka.find((t) => t.functionName === "order-shipped")?.eventTypes; // ["OrderShipped"]
 * ```
 */
import { type OrderEventType, orderEventTypes } from "../../../shared/orders/order-events";
import type {
  FunctionDeclaration,
  HttpRoute,
  KafkaTrigger,
  SystemWiring,
} from "../../wiring/types";
import { kafkaFilterDocument, matchesAnyFilter } from "../runtime/filter-patterns";
import { SampleIds } from "./sample-ids";
import { sampleOrderEvents } from "./sample-order-events";

/** A Kafka trigger, or a topic no function is triggered by. */
export interface KafkaTarget {
  readonly topic: string;
  readonly functionName?: string;
  readonly consumerGroupId?: string;
  /** The contracts whose events the trigger's filters take (all of them for a topic). */
  readonly eventTypes: readonly OrderEventType[];
}

/** A DynamoDB Streams trigger. */
export interface StreamTarget {
  readonly functionName: string;
  readonly table: string;
  /** Where the outbox items say to publish: the first topic the function may produce to. */
  readonly topic: string;
}

/** A declared route and the function that serves it. */
export interface RouteTarget {
  readonly route: HttpRoute;
  readonly routeKey: string;
  readonly functionName: string;
}

/** Everything samples can be made for. */
export interface SampleTargets {
  readonly kafka: readonly KafkaTarget[];
  readonly streams: readonly StreamTarget[];
  readonly routes: readonly RouteTarget[];
}

/** The event types whose sample the trigger's filters let through, as Lambda filters. */
const typesTakenBy = (trigger: KafkaTrigger): OrderEventType[] => {
  const ids = new SampleIds("filters");
  return orderEventTypes.filter((eventType) => {
    const [event] = sampleOrderEvents(ids, { types: [eventType], records: 1 });
    const document = kafkaFilterDocument(Buffer.from(JSON.stringify(event)));
    return trigger.filters.length === 0 || matchesAnyFilter(trigger.filters, document);
  });
};

const kafkaTargets = (wiring: SystemWiring): KafkaTarget[] => {
  const triggered = wiring.functions.flatMap((fn) =>
    fn.trigger?.kind === "kafka"
      ? [
          {
            topic: fn.trigger.topic,
            functionName: fn.name,
            consumerGroupId: fn.trigger.consumerGroupId,
            eventTypes: typesTakenBy(fn.trigger),
          },
        ]
      : [],
  );
  const topics = wiring.topics
    .filter((topic) => !triggered.some((target) => target.topic === topic.name))
    .map((topic) => ({ topic: topic.name, eventTypes: orderEventTypes }));
  return [...triggered, ...topics];
};

const streamTargets = (functions: readonly FunctionDeclaration[]): StreamTarget[] =>
  functions.flatMap((fn) => {
    const topic = fn.access.kafka?.produceTo?.[0];
    return fn.trigger?.kind === "dynamodb-stream" && topic !== undefined
      ? [{ functionName: fn.name, table: fn.trigger.table, topic }]
      : [];
  });

/** The targets of the wiring, in its order. */
export const sampleTargets = (wiring: SystemWiring): SampleTargets => ({
  kafka: kafkaTargets(wiring),
  streams: streamTargets(wiring.functions),
  routes: wiring.functions.flatMap((fn) =>
    (fn.routes ?? []).map((route) => ({
      route,
      routeKey: `${route.method} ${route.path}`,
      functionName: fn.name,
    })),
  ),
});
