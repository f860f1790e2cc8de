/**
 * orders-api: the HTTP API (API Gateway HTTP API, payload 2.0). Commands write an order's
 * state and its outbox item in one transaction; the trace of the request travels with the
 * outbox item to Kafka and every consumer. Queries read the read model the consumers build.
 */
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import middy from "@middy/core";
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import { z } from "zod";
import { parseEnvironment } from "../../shared/config";
import { RouteNotFoundError } from "../../shared/http/http-errors";
import { httpProblemDetails } from "../../shared/http/http-problem-details";
import { readIdempotencyKey, requestHash } from "../../shared/http/idempotency-key";
import { readJsonBody } from "../../shared/http/json-request-body";
import { jsonResponse } from "../../shared/http/json-response";
import {
  createLogger,
  flushTracesMiddleware,
  injectLambdaContext,
  setupTracing,
  traceHeaders,
  withRequestSpan,
} from "../../shared/observability";
import { classifyOrderError } from "../../shared/orders/order-problems";
import { createOrderRepository } from "../../shared/orders/order-repository";
import {
  cancelOrderRequestSchema,
  placeOrderRequestSchema,
  shipOrderRequestSchema,
} from "../../shared/orders/order-requests";
import { createOrderService } from "../../shared/orders/order-service";
import { classifyReadModelError, createReadModelQueries } from "../../shared/read-model";

const config = parseEnvironment(
  z.object({
    POWERTOOLS_SERVICE_NAME: z.string().default("orders-api"),
    ORDERS_TABLE_NAME: z.string().min(1),
    READ_MODEL_TABLE_NAME: z.string().min(1),
    ORDER_EVENTS_TOPIC: z.string().min(1),
    OUTBOX_TTL_SECONDS: z.coerce
      .number()
      .int()
      .positive()
      .default(7 * 24 * 3600),
    IDEMPOTENCY_TTL_SECONDS: z.coerce
      .number()
      .int()
      .positive()
      .default(24 * 3600),
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

type Route = (event: APIGatewayProxyEventV2) => Promise<APIGatewayProxyStructuredResultV2>;

const orderIdOf = (event: APIGatewayProxyEventV2): string => event.pathParameters?.id ?? "";
const customerIdOf = (event: APIGatewayProxyEventV2): string => event.pathParameters?.id ?? "";

const routes: Readonly<Record<string, Route>> = {
  "POST /orders": async (event) => {
    const command = readJsonBody(event, placeOrderRequestSchema);
    const key = readIdempotencyKey(event);
    const idempotency = key === undefined ? undefined : { key, requestHash: requestHash(command) };
    const { order, replayed } = await orders.place(command, { trace: traceHeaders(), idempotency });
    return jsonResponse(201, order, {
      location: `/orders/${order.order_id}`,
      ...(replayed ? { "idempotent-replayed": "true" } : {}),
    });
  },
  "GET /orders/{id}": async (event) => jsonResponse(200, await orders.get(orderIdOf(event))),
  "POST /orders/{id}/ship": async (event) => {
    const command = readJsonBody(event, shipOrderRequestSchema);
    return jsonResponse(
      200,
      await orders.ship(orderIdOf(event), command, { trace: traceHeaders() }),
    );
  },
  "POST /orders/{id}/cancel": async (event) => {
    const command = readJsonBody(event, cancelOrderRequestSchema);
    return jsonResponse(
      200,
      await orders.cancel(orderIdOf(event), command, { trace: traceHeaders() }),
    );
  },
  "GET /orders/{id}/view": async (event) =>
    jsonResponse(200, await readModel.orderView(orderIdOf(event))),
  "GET /customers/{id}/stats": async (event) =>
    jsonResponse(200, await readModel.customerStats(customerIdOf(event))),
};

const handleRequest: Route = (event) =>
  withRequestSpan(event.routeKey, event.headers ?? {}, async () => {
    const route = routes[event.routeKey];
    if (route === undefined) throw new RouteNotFoundError(`No route ${event.routeKey}`);
    logger.appendKeys({ route: event.routeKey });
    return route(event);
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
