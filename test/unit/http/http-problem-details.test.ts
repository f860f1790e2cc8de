import middy from "@middy/core";
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { httpProblemDetails, readJsonBody } from "../../../shared/http";
import { apiGatewayEvent } from "../../support/api-gateway-events";
import { lambdaContext } from "../../support/lambda-context";

const schema = z.object({ name: z.string().min(1), count: z.number().int() });

const invoke = async (
  route: (event: APIGatewayProxyEventV2) => Promise<APIGatewayProxyStructuredResultV2>,
  event: APIGatewayProxyEventV2,
  logged: unknown[] = [],
) => {
  const handler = middy(route).use(
    httpProblemDetails({
      classify: (error) =>
        error instanceof RangeError ? { status: 409, title: "Conflict" } : undefined,
      logger: { error: (...args: unknown[]) => logged.push(args) },
    }),
  );
  const response = (await handler(
    event,
    lambdaContext("test"),
  )) as APIGatewayProxyStructuredResultV2;
  return { response, problem: JSON.parse(response.body ?? "{}") };
};

const echo = async (event: APIGatewayProxyEventV2) => ({
  statusCode: 200,
  body: JSON.stringify(readJsonBody(event, schema)),
});

describe("httpProblemDetails with readJsonBody", () => {
  it("adds the request id to a successful response", async () => {
    // Act
    const { response } = await invoke(
      echo,
      apiGatewayEvent({ routeKey: "POST /x", body: { name: "a", count: 1 } }),
    );

    // Assess
    expect(response.statusCode).toBe(200);
    expect(response.headers?.["x-request-id"]).toMatch(/^test-request-/);
  });

  it("answers 400 with one message per invalid field", async () => {
    // Act
    const { response, problem } = await invoke(
      echo,
      apiGatewayEvent({ routeKey: "POST /x", body: { name: "", count: 1.5 } }),
    );

    // Assess
    expect(response.statusCode).toBe(400);
    expect(response.headers?.["content-type"]).toBe("application/problem+json");
    expect(problem).toMatchObject({
      type: "about:blank",
      status: 400,
      title: "Invalid request",
      instance: "/x",
    });
    expect(problem.errors.map((issue: { field: string }) => issue.field)).toEqual([
      "name",
      "count",
    ]);
    expect(problem.request_id).toBe(response.headers?.["x-request-id"]);
  });

  it("reads a base64-encoded body and accepts JSON with a charset", async () => {
    // Prepare
    const event = {
      ...apiGatewayEvent({
        routeKey: "POST /x",
        headers: { "content-type": "application/json; charset=utf-8" },
      }),
      body: Buffer.from(JSON.stringify({ name: "b", count: 2 })).toString("base64"),
      isBase64Encoded: true,
    };

    // Act
    const { response } = await invoke(echo, event);

    // Assess
    expect(response.statusCode).toBe(200);
    expect(JSON.parse(response.body ?? "")).toEqual({ name: "b", count: 2 });
  });

  it.each([
    ["no body", undefined, {}, 415],
    ["text/plain", "hello", { "content-type": "text/plain" }, 415],
    ["malformed JSON", "{", {}, 400],
    ["JSON that is not an object", "[1]", {}, 400],
    ["a body over 64 KB", JSON.stringify({ name: "x".repeat(70_000), count: 1 }), {}, 413],
  ])("answers %s with the right status", async (_case, body, headers, status) => {
    // Prepare
    const event = apiGatewayEvent({
      routeKey: "POST /x",
      body,
      headers: headers as Record<string, string>,
    });
    if (body === undefined) event.headers["content-type"] = "";

    // Act
    const { response, problem } = await invoke(echo, event);

    // Assess
    expect(response.statusCode).toBe(status);
    expect(problem.status).toBe(status);
  });

  it("answers 503 with Retry-After when the invocation runs out of time", async () => {
    // Prepare
    const timeout = Object.assign(new Error("[AbortError]: The operation was aborted."), {
      name: "TimeoutError",
    });

    // Act
    const { response, problem } = await invoke(
      async () => {
        throw timeout;
      },
      apiGatewayEvent({ routeKey: "GET /x" }),
    );

    // Assess
    expect(response.statusCode).toBe(503);
    expect(response.headers?.["retry-after"]).toBe("1");
    expect(problem.title).toBe("Service unavailable");
  });

  it("uses the classification for known errors and hides unknown ones behind a logged 500", async () => {
    // Prepare
    const logged: unknown[] = [];

    // Act
    const known = await invoke(
      async () => {
        throw new RangeError("stale");
      },
      apiGatewayEvent({ routeKey: "GET /x" }),
    );
    const unknown = await invoke(
      async () => {
        throw new Error("db password is hunter2");
      },
      apiGatewayEvent({ routeKey: "GET /x" }),
      logged,
    );

    // Assess
    expect(known.response.statusCode).toBe(409);
    expect(known.problem.detail).toBe("stale");
    expect(unknown.response.statusCode).toBe(500);
    expect(unknown.response.body).not.toContain("hunter2");
    expect(unknown.problem.detail).toContain(unknown.problem.request_id);
    expect(logged).toHaveLength(1);
  });
});
