/**
 * docs/developer-tools.md ("npm run event"): the command, run as a user runs it, prints a
 * Lambda-shaped event for each kind of trigger the wiring declares, whose payloads validate
 * against the contracts and the routes' request schemas; the shipped samples under `events/`
 * are exactly what the generator makes; bad usage exits 2.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { unmarshall } from "@aws-sdk/util-dynamodb";
import type { APIGatewayProxyEventV2, DynamoDBStreamEvent } from "aws-lambda";
import { describe, expect, it } from "vitest";
import * as z from "zod/mini";
import { SAMPLE_SOURCE } from "../../../infra/local/dev-tools/msk-sample";
import { sampleFileEvent, sampleFiles } from "../../../infra/local/dev-tools/sample-files";
import { systemWiring } from "../../../infra/wiring/system-wiring";
import { readEvent } from "../../../shared/events";
import {
  type LambdaKafkaEvent,
  lambdaKafkaEventSchema,
} from "../../../shared/kafka/lambda-kafka-event";
import { orderEventContracts } from "../../../shared/orders/order-events";
import { orderApiRoutes } from "../../../shared/orders-api";
import { routeKeyOf } from "../../../shared/orders-api/order-api-route";
import { runWithStdoutClosed } from "../../support/tool-run";
import { ROOT, runCommand } from "./run-command";

const text = (value: string | null | undefined): string | null =>
  value === null || value === undefined ? null : Buffer.from(value, "base64").toString("utf8");

const kafkaValues = (event: LambdaKafkaEvent): (string | null)[] =>
  Object.values(event.records)
    .flat()
    .map((record) => text(record.value));

/** The values of the records `npm run event` made from the contracts (not its poison). */
const sampledValues = (event: LambdaKafkaEvent): string[] =>
  Object.values(event.records)
    .flat()
    .filter((record) =>
      (record.headers ?? []).some((header) => {
        const bytes = (header as Record<string, number[]>).ce_source;
        return bytes !== undefined && Buffer.from(bytes).toString("utf8") === SAMPLE_SOURCE;
      }),
    )
    .map((record) => text(record.value) ?? "");

/** Checks a sample against its trigger's Lambda shape and its payloads against the contracts. */
const checkSample = (event: unknown): void => {
  const shaped = event as Partial<LambdaKafkaEvent & DynamoDBStreamEvent & APIGatewayProxyEventV2>;
  if (shaped.eventSource === "aws:kafka") {
    const parsed = lambdaKafkaEventSchema.parse(event);
    const values = sampledValues(parsed);
    expect(values.length).toBeGreaterThan(0);
    for (const value of values) readEvent(orderEventContracts, value);
  } else if (shaped.Records !== undefined) {
    for (const record of shaped.Records) {
      expect(record.eventName).toBe("INSERT");
      const item = unmarshall(record.dynamodb?.NewImage as Parameters<typeof unmarshall>[0]) as {
        value: string;
      };
      readEvent(orderEventContracts, item.value);
    }
  } else {
    expect(shaped.version).toBe("2.0");
    const route = orderApiRoutes.find((r) => routeKeyOf(r.route) === shaped.routeKey);
    expect(route).toBeDefined();
    const schema = route?.request?.body?.schema;
    if (schema !== undefined) z.parse(schema, JSON.parse(shaped.body ?? ""));
  }
};

describe("npm run event (docs/developer-tools.md)", () => {
  it("prints an MSK batch of the type, order, records and partitions asked, with poison", async () => {
    // Act
    const run = await runCommand("event", [
      "msk",
      "order-shipped",
      "--type",
      "OrderShipped",
      "--order",
      "ord-42",
      "--records",
      "3",
      "--partitions",
      "2",
      "--poison",
      "not-json",
      "--poison",
      "tombstone",
    ]);

    // Assess
    expect(run.code).toBe(0);
    const event = lambdaKafkaEventSchema.parse(JSON.parse(run.stdout));
    expect(Object.keys(event.records).sort()).toEqual(["order-events-0", "order-events-1"]);
    const values = kafkaValues(event);
    expect(values).toHaveLength(5);
    const events = values
      .filter((v): v is string => v?.startsWith("{") === true)
      .map((v) => readEvent(orderEventContracts, v));
    expect(events.map((e) => [e.event_type, e.aggregate_id])).toEqual(
      Array(3).fill(["OrderShipped", "ord-42"]),
    );
    expect(values).toContain("order #42: ship it, please {");
    expect(values).toContain(null);
  });

  it("prints a DynamoDB Streams batch of outbox INSERTs of valid events", async () => {
    // Act
    const run = await runCommand("event", ["dynamodb-stream", "--records", "2"]);

    // Assess
    expect(run.code).toBe(0);
    const event = JSON.parse(run.stdout) as DynamoDBStreamEvent;
    expect(event.Records).toHaveLength(2);
    checkSample(event);
  });

  it.each(
    systemWiring.functions.flatMap((fn) => (fn.routes ?? []).map((r) => `${r.method} ${r.path}`)),
  )(
    "prints an HTTP API 2.0 request for %s with its path filled and a valid body",
    async (routeKey) => {
      // Act
      const run = await runCommand("event", ["http", "--route", routeKey, "--order", "ord-7"]);

      // Assess
      expect(run.code).toBe(0);
      const event = JSON.parse(run.stdout) as APIGatewayProxyEventV2;
      expect(event.routeKey).toBe(routeKey);
      expect(event.rawPath).not.toContain("{");
      checkSample(event);
    },
  );

  it("ends quietly when its reader goes away before it prints, as `| head` does", async () => {
    // Act: the reading end closed before the command has printed
    const run = await runWithStdoutClosed("event", ["dynamodb-stream"], {});

    // Assess: no crash (an unhandled EPIPE exits 1 with its stack on stderr)
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
  });

  it("lists every kind, function and route of the wiring in --help", async () => {
    // Act
    const run = await runCommand("event", ["--help"]);

    // Assess
    expect(run.code).toBe(0);
    for (const fn of systemWiring.functions.filter((f) => f.trigger !== undefined))
      expect(run.stdout).toContain(fn.name);
    for (const route of systemWiring.functions.flatMap((fn) => fn.routes ?? []))
      expect(run.stdout).toContain(`"${route.method} ${route.path}"`);
  });

  it.each([
    [["nope"], "unknown kind"],
    [["msk", "no-such-function"], "no Kafka trigger"],
    [["msk", "--type", "NoSuchType"], "no event type"],
    [["msk", "--poison", "no-such-kind"], "no poison kind"],
    [["msk", "--partitions", "7"], "6 partitions"],
    [["http", "--route", "DELETE /orders"], "no route"],
  ])("exits 2 on %j, saying why", async (args, message) => {
    // Act
    const run = await runCommand("event", args);

    // Assess
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toContain(message);
  });
});

describe("the shipped samples under events/", () => {
  it.each(sampleFiles(systemWiring).map((file) => [file.path, file] as const))(
    "%s is its trigger's Lambda event, valid against the contracts, and regenerates the same",
    (path, file) => {
      // Prepare
      const shipped: unknown = JSON.parse(readFileSync(join(ROOT, "events", path), "utf8"));

      // Act
      const regenerated = sampleFileEvent(systemWiring, file);

      // Assess
      expect(shipped).toEqual(regenerated);
      checkSample(shipped);
    },
  );
});
