/**
 * docs/local-runtime.md: the local HTTP API turns a real HTTP request into an API Gateway HTTP API
 * payload 2.0 event for the declared route, maps the function's result back, and answers
 * 404 itself for a route nobody declared.
 */
import type { APIGatewayProxyEventV2 } from "aws-lambda";
import { describe, it } from "vitest";
import { startHttpApi } from "../../../infra/local/runtime/http-api-server";
import { scriptedFunction } from "./harness";

describe.concurrent("local HTTP API (docs/local-runtime.md)", () => {
  it("HTTP API — a request becomes a payload 2.0 event and the result the response; 404 for an undeclared route", async (ctx) => {
    const { expect } = ctx;
    // Prepare
    const fn = scriptedFunction(ctx, {
      script: {
        action: "respond",
        response: {
          statusCode: 201,
          headers: { "Content-Type": "application/json", "X-Reply": "yes" },
          cookies: ["session=abc; Path=/", "theme=dark"],
          body: JSON.stringify({ shipped: true }),
        },
      },
    });
    const api = await startHttpApi({
      port: 0,
      routes: [
        { method: "POST", path: "/orders/{id}/ship", target: fn.name },
        { method: "GET", path: "/orders/{id}", target: fn.name },
      ],
      invoke: (_target, event) => fn.invoke(event),
      log: () => undefined,
    });
    ctx.onTestFinished(() => api.close());

    // Act
    const shipped = await fetch(`${api.url}/orders/o-1/ship?carrier=ups&tag=a&tag=b`, {
      method: "POST",
      headers: {
        "Content-Type": "application/json",
        "X-Trace-Id": "Trace-123",
        Cookie: "a=1; b=2",
      },
      body: JSON.stringify({ carrier: "ups" }),
    });
    const binary = await fetch(`${api.url}/orders/o-2/ship`, {
      method: "POST",
      headers: { "Content-Type": "application/octet-stream" },
      body: new Uint8Array([0, 255, 1, 254]),
    });
    const undeclared = await fetch(`${api.url}/customers/c-1`);
    const wrongMethod = await fetch(`${api.url}/orders/o-1/ship`);

    // Assess: the events
    const [first, second] = fn.invocations<APIGatewayProxyEventV2>().map(({ event }) => event);
    expect(fn.invocations()).toHaveLength(2);
    expect(first).toMatchObject({
      version: "2.0",
      routeKey: "POST /orders/{id}/ship",
      rawPath: "/orders/o-1/ship",
      rawQueryString: "carrier=ups&tag=a&tag=b",
      queryStringParameters: { carrier: "ups", tag: "a,b" },
      pathParameters: { id: "o-1" },
      cookies: ["a=1", "b=2"],
      body: JSON.stringify({ carrier: "ups" }),
      isBase64Encoded: false,
      requestContext: {
        routeKey: "POST /orders/{id}/ship",
        stage: "$default",
        http: { method: "POST", path: "/orders/o-1/ship" },
      },
    });
    expect(first?.headers["x-trace-id"]).toBe("Trace-123");
    expect(first?.headers["content-type"]).toBe("application/json");
    for (const name of Object.keys(first?.headers ?? {})) expect(name).toBe(name.toLowerCase());
    expect(first?.headers).not.toHaveProperty("cookie");
    expect(second).toMatchObject({
      pathParameters: { id: "o-2" },
      rawQueryString: "",
      isBase64Encoded: true,
      body: Buffer.from([0, 255, 1, 254]).toString("base64"),
    });
    // Assess: the responses
    expect(shipped.status).toBe(201);
    expect(shipped.headers.get("x-reply")).toBe("yes");
    expect(shipped.headers.getSetCookie()).toEqual(["session=abc; Path=/", "theme=dark"]);
    expect(await shipped.json()).toEqual({ shipped: true });
    expect(binary.status).toBe(201);
    expect(undeclared.status).toBe(404);
    expect(await undeclared.json()).toEqual({ message: "Not Found" });
    expect(wrongMethod.status).toBe(404);
  });
});
