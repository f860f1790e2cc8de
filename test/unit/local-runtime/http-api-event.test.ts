import { describe, expect, it } from "vitest";
import {
  fromApiGatewayResult,
  toApiGatewayEvent,
} from "../../../infra/local/runtime/http-api-event";
import { compileRoutes, matchRoute } from "../../../infra/local/runtime/http-routes";

const routes = compileRoutes([
  { method: "POST", path: "/orders", target: "api" },
  { method: "GET", path: "/orders/{id}", target: "api" },
  { method: "GET", path: "/orders/{id}/view", target: "api" },
  { method: "POST", path: "/orders/{id}/ship", target: "api" },
]);

describe("matchRoute", () => {
  it("finds the declared route key and decodes path parameters", () => {
    // Act & Assess
    expect(matchRoute(routes, "post", "/orders/o%201/ship")).toEqual({
      routeKey: "POST /orders/{id}/ship",
      pathParameters: { id: "o 1" },
      target: "api",
    });
    expect(matchRoute(routes, "GET", "/orders/o-1/view")?.routeKey).toBe("GET /orders/{id}/view");
    expect(matchRoute(routes, "GET", "/orders/o-1")?.routeKey).toBe("GET /orders/{id}");
  });

  it("passes a malformed escape through undecoded instead of failing", () => {
    // Act & Assess
    expect(matchRoute(routes, "GET", "/orders/%E0%A4%A")?.pathParameters).toEqual({
      id: "%E0%A4%A",
    });
  });

  it("matches nothing for an undeclared method or path", () => {
    // Act & Assess
    expect(matchRoute(routes, "DELETE", "/orders/o-1")).toBeUndefined();
    expect(matchRoute(routes, "GET", "/orders/o-1/unknown")).toBeUndefined();
    expect(matchRoute(routes, "GET", "/orders/")).toBeUndefined();
  });
});

describe("toApiGatewayEvent", () => {
  const match = {
    routeKey: "POST /orders/{id}/ship",
    pathParameters: { id: "o-1" },
    target: "api",
  };

  it("builds a payload 2.0 event as API Gateway does", () => {
    // Act
    const event = toApiGatewayEvent({
      method: "POST",
      url: "/orders/o-1/ship?a=1&a=2&b=x",
      headers: {
        "content-type": "application/json",
        "X-Custom": "v",
        cookie: "s=1; t=2",
        host: "127.0.0.1:3000",
      },
      body: Buffer.from('{"carrier":"DHL"}'),
      sourceIp: "127.0.0.1",
      match,
    });

    // Assess
    expect(event).toMatchObject({
      version: "2.0",
      routeKey: "POST /orders/{id}/ship",
      rawPath: "/orders/o-1/ship",
      rawQueryString: "a=1&a=2&b=x",
      cookies: ["s=1", "t=2"],
      headers: { "content-type": "application/json", "x-custom": "v" },
      queryStringParameters: { a: "1,2", b: "x" },
      pathParameters: { id: "o-1" },
      body: '{"carrier":"DHL"}',
      isBase64Encoded: false,
      requestContext: {
        http: { method: "POST", path: "/orders/o-1/ship", sourceIp: "127.0.0.1" },
        routeKey: "POST /orders/{id}/ship",
        stage: "$default",
      },
    });
    expect(event.headers.cookie).toBeUndefined();
    expect(event.requestContext.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("sends a binary body base64-encoded and leaves out an empty one", () => {
    // Act
    const binary = toApiGatewayEvent({
      method: "POST",
      url: "/x",
      headers: { "content-type": "application/octet-stream" },
      body: Buffer.from([0, 255]),
      sourceIp: "::1",
      match,
    });
    const empty = toApiGatewayEvent({
      method: "GET",
      url: "/x",
      headers: {},
      body: Buffer.alloc(0),
      sourceIp: "::1",
      match,
    });

    // Assess
    expect(binary).toMatchObject({ body: "AP8=", isBase64Encoded: true });
    expect(empty.body).toBeUndefined();
    expect(empty.isBase64Encoded).toBe(false);
  });
});

describe("fromApiGatewayResult", () => {
  it("maps a structured result, cookies and a base64 body", () => {
    // Act
    const response = fromApiGatewayResult({
      statusCode: 201,
      headers: { Location: "/orders/1" },
      cookies: ["a=1"],
      body: "AP8=",
      isBase64Encoded: true,
    });

    // Assess
    expect(response.statusCode).toBe(201);
    expect(response.headers).toEqual({ location: "/orders/1", "set-cookie": ["a=1"] });
    expect([...response.body]).toEqual([0, 255]);
  });

  it("serves any other value as JSON with 200, as payload 2.0 does", () => {
    // Act
    const response = fromApiGatewayResult({ hello: "world" });

    // Assess
    expect(response).toMatchObject({
      statusCode: 200,
      headers: { "content-type": "application/json" },
    });
    expect(response.body.toString()).toBe('{"hello":"world"}');
  });
});
