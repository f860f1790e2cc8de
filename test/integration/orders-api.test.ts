/**
 * The orders-api handler, invoked with real API Gateway HTTP API events, against moto:
 * every endpoint's success and error cases, the transactional outbox, concurrency and
 * Idempotency-Key semantics, and what the table's stream carries.
 */
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBStreamsClient } from "@aws-sdk/client-dynamodb-streams";
import { DynamoDBDocumentClient, QueryCommand, ScanCommand } from "@aws-sdk/lib-dynamodb";
import type { APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ORDERS_TABLE } from "../../infra/wiring/system-wiring";
import { shipOrder } from "../../shared/orders/commands";
import { decideTransition } from "../../shared/orders/order";
import { VersionConflictError } from "../../shared/orders/order-errors";
import { createOrderRepository } from "../../shared/orders/order-repository";
import { apiGatewayEvent, type HttpRequest } from "../support/api-gateway-events";
import { createDeclaredTable } from "../support/declared-tables";
import { readWholeStream } from "../support/dynamodb-streams";
import { lambdaContext } from "../support/lambda-context";
import { awsClientConfig, uniqueName, useMotoForAwsClients } from "../support/local-endpoints";
import { OpenApiResponses } from "../support/openapi-responses";

const tableName = uniqueName("orders");
const dynamodb = new DynamoDBClient(awsClientConfig);
const documents = DynamoDBDocumentClient.from(dynamodb);
const streams = new DynamoDBStreamsClient(awsClientConfig);
// Every response of every test is checked against the API's OpenAPI document.
const specification = new OpenApiResponses();
let streamArn = "";
let invokeHandler: (request: HttpRequest) => Promise<APIGatewayProxyStructuredResultV2>;

interface OrderBody {
  order_id: string;
  customer_id: string;
  status: string;
  version: number;
  total: string;
  [field: string]: unknown;
}

const bodyOf = <T = OrderBody>(response: APIGatewayProxyStructuredResultV2): T =>
  JSON.parse(response.body ?? "null") as T;

const itemsOf = async (orderId: string) =>
  (
    await documents.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: "pk = :pk",
        ExpressionAttributeValues: { ":pk": `ORDER#${orderId}` },
        ConsistentRead: true,
      }),
    )
  ).Items ?? [];

/** Every item of the table, read whole (the table holds only this file's few items). */
const allItems = async (): Promise<Record<string, unknown>[]> => {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await documents.send(
      new ScanCommand({ TableName: tableName, ConsistentRead: true, ExclusiveStartKey: start }),
    );
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start !== undefined);
  return items;
};

const validOrder = (customerId = "cus-1") => ({
  customer_id: customerId,
  currency: "EUR",
  items: [
    { sku: "SKU-1", quantity: 2, unit_price: "10.25" },
    { sku: "SKU-2", quantity: 1, unit_price: "4.50" },
  ],
});

const place = (body: unknown = validOrder(), headers: Record<string, string> = {}) =>
  invokeHandler({ routeKey: "POST /orders", body, headers });
const ship = (orderId: string) =>
  invokeHandler({
    routeKey: "POST /orders/{id}/ship",
    pathParameters: { id: orderId },
    body: { carrier: "DHL", tracking_number: "JD0001" },
  });
const cancel = (orderId: string) =>
  invokeHandler({
    routeKey: "POST /orders/{id}/cancel",
    pathParameters: { id: orderId },
    body: { reason: "changed my mind" },
  });

beforeAll(async () => {
  streamArn = (await createDeclaredTable(dynamodb, ORDERS_TABLE, tableName)).streamArn ?? "";
  useMotoForAwsClients();
  process.env.ORDERS_TABLE_NAME = tableName;
  process.env.ORDER_EVENTS_TOPIC = "order-events";
  // Required since the API serves read-model queries; these tests do not query it.
  process.env.READ_MODEL_TABLE_NAME = "order-read-model";
  process.env.POWERTOOLS_LOG_LEVEL = "ERROR";
  const { handler } = await import("../../functions/orders-api/handler");
  invokeHandler = async (request) => {
    const response = (await handler(
      apiGatewayEvent(request),
      lambdaContext("orders-api"),
    )) as APIGatewayProxyStructuredResultV2;
    specification.check(request.routeKey, {
      status: response.statusCode ?? 200,
      headers: response.headers ?? {},
      body: response.body,
    });
    return response;
  };
});

afterAll(() => {
  dynamodb.destroy();
  streams.destroy();
});

describe("POST /orders", () => {
  it("creates the order, answers 201 with it and a Location, and writes state and outbox item together", async () => {
    // Act
    const response = await place();

    // Assess
    const order = bodyOf(response);
    expect(response.statusCode).toBe(201);
    expect(response.headers?.location).toBe(`/orders/${order.order_id}`);
    expect(response.headers?.["x-request-id"]).toMatch(/^test-request-/);
    expect(order).toMatchObject({
      customer_id: "cus-1",
      status: "CREATED",
      version: 1,
      total: "25.00",
      currency: "EUR",
    });
    const items = await itemsOf(order.order_id);
    expect(items.map((item) => item.sk)).toEqual(["OUTBOX#0000000001", "STATE"]);
    const outbox = items[0] ?? {};
    expect(outbox).toMatchObject({
      topic: "order-events",
      message_key: order.order_id,
      event_type: "OrderCreated",
      aggregate_id: order.order_id,
      aggregate_version: 1,
    });
    expect(JSON.parse(String(outbox.value))).toMatchObject({
      event_type: "OrderCreated",
      data: { total: "25.00" },
    });
    expect(outbox.headers).toMatchObject({
      event_type: "OrderCreated",
      event_id: outbox.event_id,
      "content-type": "application/json",
    });
    expect(outbox.expires_at).toBeGreaterThan(Date.now() / 1000 + 6 * 86400);
  });

  it.each([
    [
      "a quantity of 0",
      { ...validOrder(), items: [{ sku: "A", quantity: 0, unit_price: "1.00" }] },
      "items.0.quantity",
    ],
    [
      "a float price",
      { ...validOrder(), items: [{ sku: "A", quantity: 1, unit_price: 1.5 }] },
      "items.0.unit_price",
    ],
    ["an unknown currency", { ...validOrder(), currency: "XYZW" }, "currency"],
    ["no items", { ...validOrder(), items: [] }, "items"],
    ["no customer", { currency: "EUR", items: validOrder().items }, "customer_id"],
    [
      "a lone surrogate, text DynamoDB cannot store",
      { ...validOrder(), customer_id: "cus-\ud800" },
      "customer_id",
    ],
  ])("answers 400 naming the field for %s, and writes nothing", async (_case, body, field) => {
    // Prepare
    const before = await allItems();

    // Act
    const response = await place(body);

    // Assess
    const problem = bodyOf<{ status: number; errors: { field: string }[]; request_id: string }>(
      response,
    );
    expect(response.statusCode).toBe(400);
    expect(response.headers?.["content-type"]).toBe("application/problem+json");
    expect(problem.status).toBe(400);
    expect(problem.errors.map((error) => error.field)).toContain(field);
    expect(problem.request_id).toBe(response.headers?.["x-request-id"]);
    expect(await allItems()).toEqual(before);
  });

  it("answers 400 for malformed JSON, 415 for a non-JSON body, 413 above 64 KB", async () => {
    // Act
    const malformed = await place('{"customer_id": ');
    const notJson = await place("customer_id=c", {
      "content-type": "application/x-www-form-urlencoded",
    });
    const tooLarge = await place({ ...validOrder(), padding: "x".repeat(65 * 1024) });

    // Assess
    expect(malformed.statusCode).toBe(400);
    expect(bodyOf<{ title: string }>(malformed).title).toBe("Malformed JSON body");
    expect(notJson.statusCode).toBe(415);
    expect(tooLarge.statusCode).toBe(413);
  });
});

describe("GET /orders/{id}", () => {
  it("returns the current state, and 404 for an unknown order", async () => {
    // Prepare
    const created = bodyOf(await place());

    // Act
    const found = await invokeHandler({
      routeKey: "GET /orders/{id}",
      pathParameters: { id: created.order_id },
    });
    const missing = await invokeHandler({
      routeKey: "GET /orders/{id}",
      pathParameters: { id: "no-such-order" },
    });

    // Assess
    expect(found.statusCode).toBe(200);
    expect(bodyOf(found)).toEqual(created);
    expect(missing.statusCode).toBe(404);
    expect(bodyOf<{ detail: string }>(missing).detail).toContain("no-such-order");
  });

  it("answers 404 with problem details for a route it does not serve", async () => {
    // Act
    const response = await invokeHandler({
      routeKey: "DELETE /orders/{id}",
      pathParameters: { id: "x" },
    });

    // Assess
    expect(response.statusCode).toBe(404);
    expect(response.headers?.["content-type"]).toBe("application/problem+json");
  });
});

describe("ship and cancel", () => {
  it("ships a created order (200, version 2) and refuses to ship or cancel it again with 409", async () => {
    // Prepare
    const { order_id } = bodyOf(await place());

    // Act
    const shipped = await ship(order_id);
    const again = await ship(order_id);
    const cancelShipped = await cancel(order_id);

    // Assess
    expect(shipped.statusCode).toBe(200);
    expect(bodyOf(shipped)).toMatchObject({
      status: "SHIPPED",
      version: 2,
      carrier: "DHL",
      tracking_number: "JD0001",
    });
    expect(again.statusCode).toBe(409);
    expect(cancelShipped.statusCode).toBe(409);
    expect(bodyOf<{ detail: string }>(cancelShipped).detail).toContain(
      "is SHIPPED and cannot be cancelled",
    );
    expect((await itemsOf(order_id)).map((item) => item.sk)).toEqual([
      "OUTBOX#0000000001",
      "OUTBOX#0000000002",
      "STATE",
    ]);
  });

  it("cancels a created order (200) and refuses to ship it afterwards", async () => {
    // Prepare
    const { order_id } = bodyOf(await place());

    // Act
    const cancelled = await cancel(order_id);
    const shipCancelled = await ship(order_id);

    // Assess
    expect(cancelled.statusCode).toBe(200);
    expect(bodyOf(cancelled)).toMatchObject({
      status: "CANCELLED",
      version: 2,
      cancel_reason: "changed my mind",
    });
    expect(shipCancelled.statusCode).toBe(409);
    const outbox = (await itemsOf(order_id)).filter((item) =>
      String(item.sk).startsWith("OUTBOX#"),
    );
    expect(outbox.map((item) => item.event_type)).toEqual(["OrderCreated", "OrderCancelled"]);
    expect(JSON.parse(String(outbox[1]?.value)).data).toMatchObject({
      total: "25.00",
      currency: "EUR",
    });
  });

  it("answers 404 for commands on an unknown order", async () => {
    // Act & Assess
    expect((await ship("no-such-order")).statusCode).toBe(404);
    expect((await cancel("no-such-order")).statusCode).toBe(404);
  });

  it("lets exactly one of two concurrent ships win, with exactly one outbox item for it", async () => {
    // Prepare
    const { order_id } = bodyOf(await place());

    // Act
    const responses = await Promise.all([ship(order_id), ship(order_id)]);

    // Assess
    expect(responses.map((response) => response.statusCode).sort()).toEqual([200, 409]);
    const outbox = (await itemsOf(order_id)).filter((item) =>
      String(item.sk).startsWith("OUTBOX#"),
    );
    expect(outbox.map((item) => item.event_type)).toEqual(["OrderCreated", "OrderShipped"]);
  });

  it("writes neither state nor outbox item when the version condition fails", async () => {
    // Prepare: two decisions taken on the same state, as two racing requests would
    const { order_id } = bodyOf(await place());
    const repository = createOrderRepository({
      client: documents,
      tableName,
      topic: "order-events",
      source: "test",
      outboxTtlSeconds: 60,
      idempotencyTtlSeconds: 60,
    });
    const loaded = await repository.load(order_id);
    if (loaded === undefined) throw new Error("order not stored");
    const first = decideTransition(
      shipOrder,
      loaded,
      { carrier: "DHL", tracking_number: "A" },
      { now: new Date() },
    );
    const second = decideTransition(
      shipOrder,
      loaded,
      { carrier: "UPS", tracking_number: "B" },
      { now: new Date() },
    );
    await repository.commit({ ...first, expectedVersion: loaded.version, trace: {} });

    // Act
    const losing = repository.commit({ ...second, expectedVersion: loaded.version, trace: {} });

    // Assess
    await expect(losing).rejects.toBeInstanceOf(VersionConflictError);
    const items = await itemsOf(order_id);
    expect(items.find((item) => item.sk === "STATE")).toMatchObject({
      carrier: "DHL",
      tracking_number: "A",
      version: 2,
    });
    const outbox = items.filter((item) => String(item.sk).startsWith("OUTBOX#"));
    expect(outbox.map((item) => item.event_id)).toEqual([expect.any(String), first.event.event_id]);
  });
});

describe("Idempotency-Key", () => {
  it("answers a repeated request with the first response and creates no second order", async () => {
    // Prepare
    const key = uniqueName("key");
    const customer = uniqueName("cus");

    // Act
    const first = await place(validOrder(customer), { "idempotency-key": key });
    const replay = await place(validOrder(customer), { "Idempotency-Key": key });

    // Assess
    expect(first.statusCode).toBe(201);
    expect(replay.statusCode).toBe(201);
    expect(bodyOf(replay)).toEqual(bodyOf(first));
    expect(replay.headers?.["idempotent-replayed"]).toBe("true");
    const outbox = (await itemsOf(bodyOf(first).order_id)).filter((item) =>
      String(item.sk).startsWith("OUTBOX#"),
    );
    expect(outbox).toHaveLength(1);
  });

  it("answers 422 when the same key comes with a different body", async () => {
    // Prepare
    const key = uniqueName("key");
    await place(validOrder("cus-a"), { "idempotency-key": key });

    // Act
    const misuse = await place(validOrder("cus-b"), { "idempotency-key": key });

    // Assess
    expect(misuse.statusCode).toBe(422);
  });

  it("creates one order when two requests with the same key race", async () => {
    // Prepare
    const key = uniqueName("key");
    const customerId = uniqueName("cus-race");

    // Act
    const responses = await Promise.all([
      place(validOrder(customerId), { "idempotency-key": key }),
      place(validOrder(customerId), { "idempotency-key": key }),
    ]);

    // Assess: both answer with the one order, or the loser is told the winner is in progress
    const created = responses.filter((response) => response.statusCode === 201);
    const waiting = responses.filter((response) => response.statusCode !== 201);
    expect(created.length).toBeGreaterThanOrEqual(1);
    expect(new Set(created.map((response) => bodyOf(response).order_id)).size).toBe(1);
    for (const response of waiting) {
      expect(response.statusCode).toBe(409);
      expect(bodyOf<{ title: string }>(response).title).toBe("Request in progress");
    }
    const replay = await place(validOrder(customerId), { "idempotency-key": key });
    const orderId = bodyOf(created[0] as APIGatewayProxyStructuredResultV2).order_id;
    expect(bodyOf(replay).order_id).toBe(orderId);
    // In storage: one order of this customer, one outbox item, one record of the key
    const stored = await allItems();
    const orders = stored.filter(
      (item) => item.item_type === "ORDER" && item.customer_id === customerId,
    );
    expect(orders.map((item) => item.order_id)).toEqual([orderId]);
    expect(
      (await itemsOf(orderId)).filter((item) => String(item.sk).startsWith("OUTBOX#")),
    ).toHaveLength(1);
    expect(stored.filter((item) => item.pk === `IDEMPOTENCY#${key}`)).toHaveLength(1);
  });

  it("answers 400 for a malformed key", async () => {
    // Act
    const response = await place(validOrder(), { "idempotency-key": "has spaces" });

    // Assess
    expect(response.statusCode).toBe(400);
  });
});

describe("trace context", () => {
  it("continues an incoming traceparent into the outbox item, or starts a trace", async () => {
    // Prepare
    const traceId = "4bf92f3577b34da6a3ce929d0e0e4736";

    // Act
    const continued = bodyOf(
      await place(validOrder(), { traceparent: `00-${traceId}-00f067aa0ba902b7-01` }),
    );
    const started = bodyOf(await place());

    // Assess
    const [continuedOutbox] = await itemsOf(continued.order_id);
    const [startedOutbox] = await itemsOf(started.order_id);
    expect(continuedOutbox?.headers.traceparent).toMatch(
      new RegExp(`^00-${traceId}-[0-9a-f]{16}-01$`),
    );
    expect(continuedOutbox?.headers.traceparent).not.toContain("00f067aa0ba902b7");
    expect(startedOutbox?.headers.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]$/);
    expect(startedOutbox?.headers.traceparent).not.toContain(traceId);
  });
});

describe("the table's stream", () => {
  it("holds, in order, exactly one outbox INSERT per successful command", async () => {
    // Prepare
    const { order_id } = bodyOf(await place());
    await ship(order_id);
    await ship(order_id); // refused: no record
    await cancel(order_id); // refused: no record

    // Act
    const records = await readWholeStream(streams, streamArn);

    // Assess
    const outboxInserts = records.filter(
      (record) =>
        record.eventName === "INSERT" &&
        record.dynamodb?.Keys?.pk?.S === `ORDER#${order_id}` &&
        record.dynamodb?.Keys?.sk?.S?.startsWith("OUTBOX#"),
    );
    expect(outboxInserts.map((record) => record.dynamodb?.NewImage?.event_type?.S)).toEqual([
      "OrderCreated",
      "OrderShipped",
    ]);
    const sequence = outboxInserts.map((record) => BigInt(record.dynamodb?.SequenceNumber ?? "0"));
    expect(sequence[0]).toBeLessThan(sequence[1] ?? 0n);
  });
});
