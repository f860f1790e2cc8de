/**
 * orders-api: the HTTP API (API Gateway HTTP API, payload 2.0). Commands write an order's
 * state and its outbox item in one transaction; the trace of the request travels with the
 * outbox item to Kafka and every consumer. Queries read the read model the consumers build.
 */
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import middy from "@middy/core";
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import * as z from "zod/mini";
import { parseEnvironment, wholeNumber } from "../../shared/config";
import { httpProblemDetails } from "../../shared/http/http-problem-details";
import {
  activeTraceId,
  createLogger,
  flushTracesMiddleware,
  injectLambdaContext,
  setupTracing,
  withRequestSpan,
} from "../../shared/observability";
import { classifyOrderError } from "../../shared/orders/order-problems";
import { createOrderRepository } from "../../shared/orders/order-repository";
import { createOrderService } from "../../shared/orders/order-service";
import { createOrderApi } from "../../shared/orders-api";
// The modules, not the read model's index: that also exports the consumers' handler, and with it
// kafkajs, which this function never uses.
import { classifyReadModelError } from "../../shared/read-model/read-model-problems";
import { createReadModelQueries } from "../../shared/read-model/read-model-queries";

const config = parseEnvironment(
  z.object({
    POWERTOOLS_SERVICE_NAME: z._default(z.string(), "orders-api"),
    ORDERS_TABLE_NAME: z.string().check(z.minLength(1)),
    READ_MODEL_TABLE_NAME: z.string().check(z.minLength(1)),
    ORDER_EVENTS_TOPIC: z.string().check(z.minLength(1)),
    OUTBOX_TTL_SECONDS: wholeNumber({ min: 1, fallback: 7 * 24 * 3600 }),
    IDEMPOTENCY_TTL_SECONDS: wholeNumber({ min: 1, fallback: 24 * 3600 }),
  }),
  process.env,
);

const logger = createLogger(config.POWERTOOLS_SERVICE_NAME);
setupTracing({ serviceName: config.POWERTOOLS_SERVICE_NAME });

const dynamodb = new DynamoDBClient({});
const orders = createOrderService({
  repository: createOrderRepository({
    client: DynamoDBDocumentClient.from(dynamodb),
    tableName: config.ORDERS_TABLE_NAME,
    topic: config.ORDER_EVENTS_TOPIC,
    source: config.POWERTOOLS_SERVICE_NAME,
    outboxTtlSeconds: config.OUTBOX_TTL_SECONDS,
    idempotencyTtlSeconds: config.IDEMPOTENCY_TTL_SECONDS,
  }),
});

const readModel = createReadModelQueries({
  client: dynamodb,
  tableName: config.READ_MODEL_TABLE_NAME,
});

const api = createOrderApi({ orders, readModel });

const handleRequest = (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> =>
  withRequestSpan(event.routeKey, event.headers ?? {}, async () => {
    const traceId = activeTraceId();
    logger.appendKeys({
      route: event.routeKey,
      ...(traceId === undefined ? {} : { trace_id: traceId }),
    });
    const result = await api(event);
    // One line per request, so a request's trace id can be found in the logs.
    logger.info("Request answered", { path: event.rawPath, status: result.statusCode });
    return result;
  });

export const handler = middy(handleRequest)
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(flushTracesMiddleware())
  .use(
    httpProblemDetails({
      classify: (error) => classifyOrderError(error) ?? classifyReadModelError(error),
      logger,
    }),
  );
