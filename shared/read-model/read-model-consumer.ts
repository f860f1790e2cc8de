/**
 * The Lambda handler of a read-model consumer: one order event type, applied to the read
 * model exactly once per `event_id`, poison dead-lettered. Its configuration is read once, at
 * cold start, from the function's environment. Each consumer function is this one call.
 *
 * @example
 * ```ts
 * // functions/order-shipped/handler.ts
 * export const handler = readModelConsumerHandler("OrderShipped", "order-shipped");
 * ```
 */
import * as z from "zod/mini";
import { parseEnvironment } from "../config";
import {
  consumerFunctionEdges,
  type EffectContext,
  type EffectOutcome,
  eventConsumerHandler,
} from "../consumer";
import {
  type OrderEventContracts,
  type OrderEventType,
  orderEventContracts,
} from "../orders/order-events";
import { createEventRouter } from "../router/event-router";
import { readModelClient } from "./read-model-client";
import { createReadModelWriter } from "./read-model-writer";

/**
 * The handler of the consumer function of `eventType`: its events applied to the read model
 * by their projection, exactly once, poison dead-lettered.
 *
 * @param eventType - the one event type the function consumes (its trigger's filter)
 * @param defaultName - the function's name when `POWERTOOLS_SERVICE_NAME` is unset
 */
export const readModelConsumerHandler = (eventType: OrderEventType, defaultName: string) => {
  const config = parseEnvironment(
    z.object({
      POWERTOOLS_SERVICE_NAME: z._default(z.string(), defaultName),
      READ_MODEL_TABLE_NAME: z.string().check(z.minLength(1)),
      // The type the wiring's filter hands this function: a handler file naming another type
      // would skip every record it gets, so it fails at cold start instead.
      CONSUMED_EVENT_TYPE: z.optional(
        z.literal(eventType, {
          error: `the handler applies ${eventType}, but the function's trigger takes another type`,
        }),
      ),
    }),
    process.env,
  );
  const edges = consumerFunctionEdges(config.POWERTOOLS_SERVICE_NAME);
  const readModel = createReadModelWriter({
    client: readModelClient(),
    tableName: config.READ_MODEL_TABLE_NAME,
  });
  return eventConsumerHandler({
    ...edges,
    contracts: orderEventContracts,
    router: createEventRouter<OrderEventContracts, EffectContext, EffectOutcome>().on(
      eventType,
      (event) => readModel.apply(event),
    ),
  });
};
