/**
 * What every consumer function sets up once, at cold start, from its environment: its
 * consumer settings (`readConsumerSettings`), the shared producer its dead letters go through,
 * its logger and metrics, and tracing.
 */
// The modules, not the Kafka index: that also exports the producer, and with it kafkajs, which
// a consumer loads only when it first dead-letters (see shared/kafka/shared-producer.ts).
import { readKafkaSettings } from "../kafka/kafka-settings";
import { sharedProducer } from "../kafka/shared-producer";
import { createLogger, createMetrics, setupTracing } from "../observability";
import { readConsumerSettings } from "./consumer-settings";
import type { KafkaConsumerHandlerOptions } from "./kafka-consumer-handler";

/**
 * The options of a consumer handler that come from the function's environment.
 *
 * @example
 * ```ts
 * const edges: ConsumerFunctionEdges = consumerFunctionEdges("order-created");
 * edges.settings.mode; // "provisioned"
 * ```
 */
export type ConsumerFunctionEdges = Pick<
  KafkaConsumerHandlerOptions<unknown>,
  "functionName" | "settings" | "deadLetters" | "logger" | "metrics"
>;

/**
 * Reads the consumer and Kafka settings, sets up tracing, and makes the logger, metrics and
 * shared producer of one consumer function; throws `ConfigurationError` naming every bad
 * variable. Spread the result into a handler's options.
 *
 * @example
 * ```ts
 * export const handler = unroutedConsumerHandler({
 *   ...consumerFunctionEdges("unrouted-events"),
 *   routedEventTypes: ["OrderCreated"],
 * });
 * ```
 */
export const consumerFunctionEdges = (
  functionName: string,
  env: NodeJS.ProcessEnv = process.env,
): ConsumerFunctionEdges => {
  const settings = readConsumerSettings(env);
  const deadLetters = sharedProducer(readKafkaSettings(env));
  setupTracing({ serviceName: functionName });
  return {
    functionName,
    settings,
    deadLetters,
    logger: createLogger(functionName),
    metrics: createMetrics(functionName),
  };
};
