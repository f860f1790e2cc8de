/**
 * What every consumer function sets up once, at cold start, from its environment: its
 * consumer settings (`readConsumerSettings`), the shared producer its dead letters go through,
 * its logger and metrics, and tracing. Spread it into a handler's options.
 *
 * @example
 * ```ts
 * export const handler = unroutedConsumerHandler({
 *   ...consumerFunctionEdges("unrouted-events"),
 *   routedEventTypes: ["OrderCreated"],
 * });
 * ```
 */
import { readKafkaSettings, sharedProducer } from "../kafka";
import { createLogger, createMetrics, setupTracing } from "../observability";
import { readConsumerSettings } from "./consumer-settings";
import type { KafkaConsumerHandlerOptions } from "./kafka-consumer-handler";

export type ConsumerFunctionEdges = Pick<
  KafkaConsumerHandlerOptions<unknown>,
  "functionName" | "settings" | "deadLetters" | "logger" | "metrics"
>;

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
