/**
 * docs/developer-tools.md, "The API specification": the OpenAPI document generated from the
 * route table has every route the wiring declares, documents every problem a route declares,
 * compiles with ajv (JSON Schema 2020-12), is what `docs/openapi.json` holds and what the local
 * HTTP API serves at `GET /openapi.json`; the checker the integration and end-to-end tests use
 * rejects what the document does not allow.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type HttpApi, startHttpApi } from "../../infra/local/runtime/http-api-server";
import { systemWiring } from "../../infra/wiring/system-wiring";
import { PROBLEM_CONTENT_TYPE } from "../../shared/http/problem-details";
import { orderApiRoutes, routeKeyOf } from "../../shared/orders-api";
import { orderApiSpecification } from "../../shared/orders-api/order-api-specification";
import { OpenApiResponses } from "../support/openapi-responses";

const document = orderApiSpecification();
const spec = new OpenApiResponses(document);
const declaredRoutes = systemWiring.functions.flatMap((fn) =>
  (fn.routes ?? []).map((route) => ({ ...route, target: fn.name })),
);
const operations = Object.entries(document.paths).flatMap(([path, byMethod]) =>
  Object.entries(byMethod).map(([method, operation]) => ({ path, method, operation })),
);
const order = {
  order_id: "0f9c2a4e-5d1b-4c8e-9a47-3e2f6b8d1c05",
  customer_id: "c-1",
  status: "CREATED",
  version: 1,
  items: [{ sku: "A", quantity: 2, unit_price: "3.50" }],
  total: "7.00",
  currency: "EUR",
  created_at: "2026-11-26T09:00:00.000Z",
  updated_at: "2026-11-26T09:00:00.000Z",
};
const jsonHeaders = { "content-type": "application/json", "x-request-id": "r-1" };

describe("the orders API's OpenAPI document", () => {
  it.each(declaredRoutes)(
    "has $method $path, a route of the wiring, with its operationId",
    (route) => {
      // Prepare
      const declared = orderApiRoutes.find(
        (known) => routeKeyOf(known.route) === routeKeyOf(route),
      );

      // Act
      const operation = document.paths[route.path]?.[route.method.toLowerCase()];

      // Assess
      expect(declared).toBeDefined();
      expect(operation?.operationId).toBe(declared?.operationId);
    },
  );

  it("has no operation the wiring does not declare, and unique operation ids", () => {
    // Act
    const documented = operations.map(({ method, path }) => `${method.toUpperCase()} ${path}`);
    const ids = operations.map(({ operation }) => operation.operationId);

    // Assess
    expect(documented.sort()).toEqual(declaredRoutes.map((route) => routeKeyOf(route)).sort());
    expect(new Set(ids).size).toBe(ids.length);
  });

  it.each(orderApiRoutes.map((route) => ({ key: routeKeyOf(route.route), route })))(
    "documents every problem $key declares, as problem details",
    ({ route }) => {
      // Act
      const responses =
        document.paths[route.route.path]?.[route.route.method.toLowerCase()]?.responses;

      // Assess
      expect(responses?.[String(route.responses.success.status)]).toBeDefined();
      for (const status of Object.keys(route.responses.problems)) {
        expect(responses?.[status]?.content[PROBLEM_CONTENT_TYPE]?.schema).toEqual({
          $ref: "#/components/schemas/ProblemDetails",
        });
      }
    },
  );

  it.each(Object.keys(document.components.schemas))(
    "compiles schema %s with ajv (2020-12, strict)",
    (name) => {
      // Act
      const validate = () => spec.validator(`#/components/schemas/${name}`);

      // Assess
      expect(validate).not.toThrow();
    },
  );

  it("takes what the routes take: a valid order request, not a quantity of 0", () => {
    // Prepare
    const validate = spec.validator("#/components/schemas/PlaceOrderRequest");
    const request = { customer_id: "c-1", currency: "EUR", items: order.items };

    // Act
    const valid = validate(request);
    const invalid = validate({ ...request, items: [{ ...order.items[0], quantity: 0 }] });

    // Assess
    expect(valid).toBe(true);
    expect(invalid).toBe(false);
  });

  it("is what docs/openapi.json holds", () => {
    // Act
    const committed: unknown = JSON.parse(
      readFileSync(resolve(import.meta.dirname, "../../docs/openapi.json"), "utf8"),
    );

    // Assess
    expect(committed, "docs/openapi.json is stale: run `npm run openapi`").toEqual(
      JSON.parse(JSON.stringify(document)),
    );
  });
});

describe("the checker of responses against the document", () => {
  it("accepts a response the document gives the route", () => {
    // Act
    const check = () =>
      spec.check("POST /orders", {
        status: 201,
        headers: { ...jsonHeaders, location: `/orders/${order.order_id}` },
        body: JSON.stringify(order),
      });

    // Assess
    expect(check).not.toThrow();
  });

  it("rejects a body outside the schema, naming the route, the status and ajv's error", () => {
    // Prepare
    const { order_id: _, ...withoutId } = order;

    // Act
    const check = () =>
      spec.check("GET /orders/{id}", {
        status: 200,
        headers: jsonHeaders,
        body: JSON.stringify(withoutId),
      });

    // Assess
    expect(check).toThrow(
      /GET \/orders\/\{id\} answered 200 .*must have required property 'order_id'/,
    );
  });

  it("rejects an undocumented status, another content type and a missing x-request-id", () => {
    // Prepare
    const problem = JSON.stringify({
      type: "about:blank",
      title: "Order not found",
      status: 404,
      detail: "no order o-1",
      request_id: "r-1",
    });

    // Act
    const undocumented = () =>
      spec.check("GET /orders/{id}", { status: 409, headers: jsonHeaders, body: problem });
    const asJson = () =>
      spec.check("GET /orders/{id}", { status: 404, headers: jsonHeaders, body: problem });
    const withoutRequestId = () =>
      spec.check("GET /orders/{id}", {
        status: 404,
        headers: { "content-type": PROBLEM_CONTENT_TYPE },
        body: problem,
      });

    // Assess
    expect(undocumented).toThrow(/answered 409, a status the document does not give it/);
    expect(asJson).toThrow(/answered 404 as "application\/json"/);
    expect(withoutRequestId).toThrow(/without its header x-request-id/);
  });

  it("matches a concrete request to its route, and none for an undeclared one", () => {
    // Act
    const ship = spec.routeKeyOf("POST", "/orders/o-1/ship?x=1");
    const unknown = spec.routeKeyOf("DELETE", "/orders/o-1");

    // Assess
    expect(ship).toBe("POST /orders/{id}/ship");
    expect(unknown).toBeUndefined();
  });
});

describe("GET /openapi.json on the local HTTP API", () => {
  let api: HttpApi;

  beforeAll(async () => {
    api = await startHttpApi({
      port: 0,
      routes: declaredRoutes,
      invoke: () => Promise.reject(new Error("no function is invoked for the document")),
      log: () => undefined,
    });
  });

  afterAll(() => api.close());

  it("answers the document generated from the route table", async () => {
    // Act
    const response = await fetch(`${api.url}/openapi.json`);

    // Assess
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/json");
    expect(await response.json()).toEqual(JSON.parse(JSON.stringify(document)));
  });
});
