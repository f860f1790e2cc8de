/**
 * docs/developer-tools.md ("npm run logs"): the command, run as a user runs it, on the log
 * file the local runtime's host writes for a declared function. The function is the real
 * `unrouted-events`, in its sandbox with the wiring's environment, on the real broker; its
 * poison records log a warning with their trace id, and a dead-letter topic that does not
 * exist makes it log an error. The real `outbox-relay` logs one line per batch with the
 * traces of its items, which `--trace` finds by any of them.
 */
import { appendFileSync, mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import type { DynamoDBRecord, DynamoDBStreamEvent } from "aws-lambda";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { functionLogFile } from "../../../infra/local/dev-tools/log-tail";
import { localFunctionEnvironment } from "../../../infra/local/runtime/function-environment";
import { createFunctionHost, type FunctionHost } from "../../../infra/local/runtime/function-host";
import { readRuntimeSettings } from "../../../infra/local/runtime/runtime-settings";
import { readServiceSettings } from "../../../infra/local/services/service-settings";
import { ORDER_EVENTS_DLQ_TOPIC, systemWiring } from "../../../infra/wiring/system-wiring";
import { eventHeaders } from "../../../shared/kafka/headers";
import type { LambdaKafkaEvent } from "../../../shared/kafka/lambda-kafka-event";
import { toOutboxItem } from "../../../shared/outbox/outbox-item";
import { createDeclaredTopic, createTopic } from "../../support/kafka-topics";
import { awsClientConfig, kafkaBrokers, uniqueName } from "../../support/local-endpoints";
import { lambdaKafkaRecord } from "../../support/msk-events";
import { outboxStreamRecord } from "../../support/outbox-stream-record";
import { fileScratchDirectory, testScratchDirectory } from "../../support/scratch-directory";
import { runTool, runWithStdoutClosed, startTool } from "../../support/tool-run";
import { waitFor } from "../local-runtime/harness";

const FUNCTION = "unrouted-events";
const stateDir = fileScratchDirectory("logs-cli");
const services = readServiceSettings({ ...process.env, LOCAL_STATE_DIR: stateDir });
const cliEnv = { LOCAL_STATE_DIR: stateDir };
const TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
const OTHER_TRACE = "0af7651916cd43dd8448eb211c80319c";

/** A Kafka event of one record whose value is not JSON, carrying the trace. */
const poisonEvent = (offset: number, traceId: string): LambdaKafkaEvent => ({
  eventSource: "aws:kafka",
  eventSourceArn: "arn:aws:kafka:us-east-1:000000000000:cluster/local/unrouted-events-v1",
  bootstrapServers: kafkaBrokers.join(","),
  records: {
    "order-events-0": [
      lambdaKafkaRecord({
        topic: "order-events",
        partition: 0,
        offset,
        timestamp: Date.now(),
        timestampType: "CREATE_TIME",
        key: Buffer.from("ord-logs"),
        value: Buffer.from("this is not json"),
        headers: [{ name: "traceparent", value: Buffer.from(`00-${traceId}-00f067aa0ba902b7-01`) }],
      }),
    ],
  },
});

/** A declared function in a host as the local runtime starts it, its log in `stateDir`. */
const declaredHost = (
  name: string,
  environment: Record<string, string>,
  timeoutSeconds: number,
): FunctionHost => {
  const declaration = systemWiring.functions.find((fn) => fn.name === name);
  if (declaration === undefined) throw new Error(`the wiring declares no ${name}`);
  const settings = readRuntimeSettings(
    {
      ...process.env,
      KAFKA_BROKERS: kafkaBrokers.join(","),
      AWS_ENDPOINT_URL: awsClientConfig.endpoint,
      AWS_REGION: awsClientConfig.region,
    },
    services,
  );
  return createFunctionHost({
    name,
    entry: resolve(services.projectRoot, declaration.entry),
    environment: {
      ...localFunctionEnvironment(declaration, settings, {
        tableName: (n) => n,
        bucketName: (n) => n,
      }),
      ...environment,
    },
    timeoutSeconds,
    logFile: functionLogFile(services.logDir, name),
  });
};

/** A DynamoDB stream event of one outbox item per trace, each a new order's event. */
const relayEvent = (topic: string, traceIds: readonly string[]): DynamoDBStreamEvent => ({
  Records: traceIds.map((traceId, n): DynamoDBRecord => {
    const event = {
      event_id: uniqueName("e"),
      event_type: "OrderCreated",
      aggregate_id: uniqueName("ord-logs"),
      aggregate_version: 1,
      occurred_at: new Date().toISOString(),
    };
    const traceparent = `00-${traceId}-00f067aa0ba902b7-01`;
    const item = toOutboxItem(event, {
      topic,
      partitionKey: `ORDER#${event.aggregate_id}`,
      headers: eventHeaders(event, { source: "orders-api", traceparent }),
      now: new Date(),
      ttlSeconds: 60,
    });
    return outboxStreamRecord(item, 100 + n);
  }),
});

let working: FunctionHost;
let noDeadLetterTopic: FunctionHost;
let relay: FunctionHost;

beforeAll(async () => {
  const deadLetterTopic = uniqueName("logs-dlq");
  await createDeclaredTopic(ORDER_EVENTS_DLQ_TOPIC, deadLetterTopic);
  working = declaredHost(FUNCTION, { DEAD_LETTER_TOPIC: deadLetterTopic }, 30);
  // A topic nobody created: the dead letter cannot be sent, which the function logs as an error.
  noDeadLetterTopic = declaredHost(
    FUNCTION,
    {
      DEAD_LETTER_TOPIC: uniqueName("missing-dlq"),
      KAFKA_SEND_TIMEOUT_MS: "2000",
      KAFKA_SEND_RETRIES: "1",
    },
    30,
  );
  const relayTopic = uniqueName("logs-order-events");
  await createTopic(relayTopic, 2);
  relay = declaredHost("outbox-relay", { KAFKA_PRODUCE_TOPICS: relayTopic }, 30);
  const first = await working.invoke(poisonEvent(7, TRACE));
  const second = await noDeadLetterTopic.invoke(poisonEvent(8, OTHER_TRACE));
  const third = await relay.invoke(relayEvent(relayTopic, [OTHER_TRACE, TRACE, OTHER_TRACE]));
  if (!first.ok || !second.ok || !third.ok)
    throw new Error(`an invocation failed: ${JSON.stringify([first, second, third])}`);
});

afterAll(async () => {
  await working?.stop();
  await noDeadLetterTopic?.stop();
  await relay?.stop();
});

const stdoutLines = (stdout: string): string[] =>
  stdout.split("\n").filter((line) => line.length > 0);

describe("npm run logs (docs/developer-tools.md)", { timeout: 60_000 }, () => {
  it("shows the function's message, its record's context and its trace id", async () => {
    // Act
    const run = await runTool("logs", [FUNCTION], cliEnv);

    // Assess
    expect(run.code).toBe(0);
    const warning = stdoutLines(run.stdout).find((line) => line.includes("order-events-0@7"));
    expect(warning).toMatch(
      /^\d{4}-\d\d-\d\dT[\d:.]+Z {2}WARN {3}Record is poison; dead-lettering it {2}\[/,
    );
    expect(warning).toContain(`trace ${TRACE}`);
    expect(warning).toContain("errorClass=RecordDecodeError");
  });

  it("--level error shows the errors only", async () => {
    // Act
    const run = await runTool("logs", [FUNCTION, "--level", "error"], cliEnv);

    // Assess
    expect(run.code).toBe(0);
    const lines = stdoutLines(run.stdout);
    expect(lines.some((line) => line.includes("Dead letters could not be sent"))).toBe(true);
    expect(lines.every((line) => / ERROR /.test(line))).toBe(true);
  });

  it("--trace shows the trace's lines only", async () => {
    // Act
    const run = await runTool("logs", [FUNCTION, "--trace", OTHER_TRACE], cliEnv);

    // Assess
    const lines = stdoutLines(run.stdout);
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.every((line) => line.includes(`trace ${OTHER_TRACE}`))).toBe(true);
    expect(lines.some((line) => line.includes("order-events-0@8"))).toBe(true);
  });

  it("--trace finds the relay's batch line by any trace of its items", async () => {
    // Act
    const byFirst = await runTool("logs", ["outbox-relay", "--trace", OTHER_TRACE], cliEnv);
    const bySecond = await runTool("logs", ["outbox-relay", "--trace", TRACE, "--raw"], cliEnv);

    // Assess: one line for the batch, naming each of its traces once
    const published = stdoutLines(byFirst.stdout).filter((line) =>
      line.includes("Relay batch published"),
    );
    expect(published).toHaveLength(1);
    expect(published[0]).toContain("[2 traces]");
    expect(published[0]).toContain("published=3");
    const [raw] = stdoutLines(bySecond.stdout).map((line) => JSON.parse(line) as unknown);
    expect(raw).toMatchObject({ published: 3, trace_ids: [OTHER_TRACE, TRACE] });
  });

  it("--raw prints the JSON lines as written, --lines bounds them", async () => {
    // Act
    const run = await runTool("logs", [FUNCTION, "--raw", "--lines", "3"], cliEnv);

    // Assess
    expect(run.code).toBe(0);
    const lines = stdoutLines(run.stdout);
    expect(lines).toHaveLength(3);
    for (const line of lines) expect(() => JSON.parse(line)).not.toThrow();
  });

  it("ends quietly when its reader goes away, as `| head` does", async () => {
    // Act: the reading end closed before the command has printed
    const run = await runWithStdoutClosed("logs", [FUNCTION], cliEnv);

    // Assess: no crash (an unhandled EPIPE exits 1 with its stack on stderr)
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
  });

  it("--follow prints what the function logs later", async (ctx) => {
    // Prepare
    const follow = startTool("logs", [FUNCTION, "--follow"], cliEnv);
    ctx.onTestFinished(async () => {
      await follow.stop();
    });
    await waitFor("the follower to start", () => follow.stderr().includes("following"));

    // Act
    const outcome = await working.invoke(poisonEvent(9, TRACE));
    await waitFor("the new line", () => follow.stdout().includes("order-events-0@9"));
    const run = await follow.stop();

    // Assess
    expect(outcome.ok).toBe(true);
    expect(run.code).toBe(0);
    expect(
      stdoutLines(run.stdout).filter((line) => line.includes("order-events-0@9")),
    ).toHaveLength(1);
  });

  it("--follow waits for a log file that does not exist yet", async (ctx) => {
    // Prepare
    const dir = testScratchDirectory(ctx, "logs-later");
    const later = functionLogFile(
      readServiceSettings({ LOCAL_STATE_DIR: dir }).logDir,
      "order-shipped",
    );
    const follow = startTool("logs", ["order-shipped", "--follow", "--raw"], {
      LOCAL_STATE_DIR: dir,
    });
    ctx.onTestFinished(async () => {
      await follow.stop();
    });
    await waitFor("the follower to start", () => follow.stderr().includes("following"));

    // Act
    mkdirSync(dirname(later), { recursive: true });
    appendFileSync(later, "Error: boom\n    at handler (handler.ts:1:1)\n");
    await waitFor("the lines", () => follow.stdout().includes("at handler"));
    const run = await follow.stop();

    // Assess
    expect(run.stdout).toBe("Error: boom\n    at handler (handler.ts:1:1)\n");
  });

  it("names the declared functions when asked for one the wiring does not declare", async () => {
    // Act
    const run = await runTool("logs", ["no-such-function"], cliEnv);

    // Assess
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(
      `declared: ${systemWiring.functions.map((fn) => fn.name).join(", ")}`,
    );
    expect(run.stdout).toBe("");
  });
});
