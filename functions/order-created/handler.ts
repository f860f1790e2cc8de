/**
 * order-created: applies OrderCreated events to the read model (order view and customer stats),
 * exactly once per event_id, whatever order they arrive in. Triggered by the records of
 * `order-events` whose value has `event_type: OrderCreated`; poison goes to the dead-letter
 * topic with its reason.
 */
import { z } from "zod";
import { parseEnvironment } from "../../shared/config";
import {
  type EffectContext,
  type EffectOutcome,
  eventConsumerHandler,
  readConsumerSettings,
} from "../../shared/consumer";
import { readKafkaSettings, sharedProducer } from "../../shared/kafka";
import { createLogger, createMetrics, setupTracing } from "../../shared/observability";
import { type OrderEventContracts, orderEventContracts } from "../../shared/orders/order-events";
import { createReadModelWriter, readModelClient } from "../../shared/read-model";
import { createEventRouter } from "../../shared/router/event-router";

const config = parseEnvironment(
  z.object({
    POWERTOOLS_SERVICE_NAME: z.string().default("order-created"),
    READ_MODEL_TABLE_NAME: z.string().min(1),
    // Longer than the topic keeps records (7 days), so a replay from its start is still deduplicated.
    PROCESSED_MARKER_TTL_SECONDS: z.coerce
      .number()
      .int()
      .positive()
      .default(8 * 24 * 3600),
  }),
  process.env,
);
const settings = readConsumerSettings(process.env);
const kafkaSettings = readKafkaSettings(process.env);

const logger = createLogger(config.POWERTOOLS_SERVICE_NAME);
const metrics = createMetrics(config.POWERTOOLS_SERVICE_NAME);
setupTracing({ serviceName: config.POWERTOOLS_SERVICE_NAME });

const readModel = createReadModelWriter({
  client: readModelClient(),
  tableName: config.READ_MODEL_TABLE_NAME,
  markerTtlSeconds: config.PROCESSED_MARKER_TTL_SECONDS,
});

export const handler = eventConsumerHandler({
  functionName: config.POWERTOOLS_SERVICE_NAME,
  contracts: orderEventContracts,
  router: createEventRouter<OrderEventContracts, EffectContext, EffectOutcome>().on(
    "OrderCreated",
    (event) => readModel.apply(event),
  ),
  settings,
  deadLetters: sharedProducer(kafkaSettings),
  logger,
  metrics,
});
