/**
 * docs/developer-tools.md ("npm run lag"): the command, run as a user runs it, on a whole
 * system of the wiring's own mappings. The system has a private broker and a private moto
 * (the wiring's topic, group and table names are fixed, and the shared ones carry every
 * other test's records): first with records on the topic and no group committed yet, then
 * with the local runtime started in-test, after an order went through the outbox, the
 * relay and the consumers.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DescribeStreamCommand } from "@aws-sdk/client-dynamodb-streams";
import { Kafka, logLevel } from "kafkajs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureTable } from "../../../infra/local/aws/dynamodb-tables";
import { ordersClient } from "../../../infra/local/demo/orders-client";
import {
  type KafkaMappingLag,
  readLag,
  type StreamMappingLag,
  streamCheckpointsFile,
} from "../../../infra/local/dev-tools/lag-report";
import { ensureTopics } from "../../../infra/local/kafka-topics";
import { type LocalRuntime, startLocalRuntime } from "../../../infra/local/runtime/local-runtime";
import { readRuntimeSettings } from "../../../infra/local/runtime/runtime-settings";
import { ServiceClients } from "../../../infra/local/runtime/service-clients";
import { fileCheckpoints } from "../../../infra/local/runtime/stream-checkpoints";
import { mappingPosition } from "../../../infra/local/runtime/stream-event-source";
import { ORDER_EVENTS_TOPIC, systemWiring } from "../../../infra/wiring/system-wiring";
import { type PrivateMoto, startPrivateMoto } from "../../chaos/private-moto";
import { freePorts } from "../../support/free-ports";
import { type SecondBroker, startSecondBroker } from "../../support/second-broker";
import { runTool } from "../../support/tool-run";
import { waitFor } from "../local-runtime/harness";

type MappingLag = KafkaMappingLag | StreamMappingLag;

const kafkaMappings = systemWiring.functions.filter((fn) => fn.trigger?.kind === "kafka");
const POISON_RECORDS = 3;

let stateDir: string;
let broker: SecondBroker;
let moto: PrivateMoto;
let cliEnv: Record<string, string | undefined>;

beforeAll(async () => {
  stateDir = mkdtempSync(join(tmpdir(), "lag-cli-"));
  [broker, moto] = await Promise.all([startSecondBroker(), startPrivateMoto(stateDir)]);
  cliEnv = {
    LOCAL_STATE_DIR: stateDir,
    KAFKA_BROKERS: broker.endpoint,
    KAFKA_AUTH: "none",
    AWS_ENDPOINT_URL: moto.endpoint,
    AWS_ENDPOINT_URL_DYNAMODB: undefined,
    AWS_ENDPOINT_URL_DYNAMODB_STREAMS: undefined,
  };
}, 120_000);

afterAll(async () => {
  await moto?.stop();
  await broker?.dispose();
  if (stateDir !== undefined) rmSync(stateDir, { recursive: true, force: true });
});

/** `npm run lag -- --json`: exit code and one parsed object per line. */
const lagJson = async (): Promise<{
  code: number | null;
  stderr: string;
  mappings: MappingLag[];
}> => {
  const run = await runTool("lag", ["--json"], cliEnv);
  const mappings = run.stdout
    .split("\n")
    .filter((line) => line.length > 0)
    .map((line) => JSON.parse(line) as MappingLag);
  return { code: run.code, stderr: run.stderr, mappings };
};

const kafkaOf = (mappings: readonly MappingLag[]) =>
  mappings.filter((mapping): mapping is KafkaMappingLag => mapping.kind === "kafka");

describe("npm run lag (docs/developer-tools.md)", { timeout: 240_000 }, () => {
  it("shows every group as 'no commit', lagging by the records from the topic's start", async () => {
    // Prepare: the declared topics with records on three partitions, no runtime yet
    const kafka = new Kafka({
      clientId: "lag-test",
      brokers: [broker.endpoint],
      logLevel: logLevel.NOTHING,
    });
    await ensureTopics(kafka, systemWiring.topics);
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({
      topic: ORDER_EVENTS_TOPIC,
      messages: Array.from({ length: POISON_RECORDS }, (_, partition) => ({
        partition,
        key: `lag-${partition}`,
        value: "this is not json",
      })),
    });
    await producer.disconnect();

    // Act
    const { code, stderr, mappings } = await lagJson();
    const table = await runTool("lag", [], cliEnv);

    // Assess
    expect(code, stderr).toBe(0);
    expect(mappings.map((mapping) => mapping.functionName)).toEqual(
      systemWiring.functions.filter((fn) => fn.trigger !== undefined).map((fn) => fn.name),
    );
    for (const mapping of kafkaOf(mappings)) {
      expect(mapping.totalLag).toBe(POISON_RECORDS);
      expect(mapping.partitions).toHaveLength(6);
      for (const partition of mapping.partitions) {
        expect(partition).toEqual({
          partition: partition.partition,
          committed: null,
          start: 0,
          end: partition.partition < POISON_RECORDS ? 1 : 0,
          lag: partition.partition < POISON_RECORDS ? 1 : 0,
        });
      }
    }
    const stream = mappings.find((mapping) => mapping.kind === "dynamodb-stream");
    expect(stream).toMatchObject({
      streamArn: null,
      shards: [],
      note: "table orders does not exist",
    });
    expect(table.code).toBe(0);
    expect(table.stdout).toContain("order-created  group order-created-v1 on order-events: lag 3");
    expect(table.stdout).toMatch(/\n {2}0 +no commit +1 +1\n/);
  });

  it("shows every group committed to the end and the stream at its end once the system caught up", async () => {
    // Prepare: the whole runtime on the private services, and one order through it
    const [httpPort] = await freePorts(1);
    const settings = readRuntimeSettings(
      {
        ...process.env,
        ...cliEnv,
        POWERTOOLS_LOG_LEVEL: "WARN",
        LOCAL_HTTP_PORT: String(httpPort),
        KAFKA_TLS: "false",
      },
      moto.services,
    );
    const runtime: LocalRuntime = await startLocalRuntime({
      wiring: systemWiring,
      settings,
      services: moto.services,
      log: () => undefined,
    });
    const clients = new ServiceClients(settings);
    try {
      const order = await ordersClient(runtime.httpUrl ?? "").placeOrder({
        customerId: "cus-lag",
        currency: "EUR",
        items: [{ sku: "SKU-1", quantity: 1, unit_price: "9.99" }],
      });
      expect(order.order_id).toBeTypeOf("string");
      await waitFor(
        "every mapping to catch up",
        async () => {
          const report = await readLag({
            wiring: systemWiring,
            kafka: clients.kafka,
            brokers: settings.kafkaBrokers,
            dynamodb: clients.dynamodb,
            streams: clients.streams,
            checkpointsFile: streamCheckpointsFile(stateDir),
          });
          const ends = kafkaOf(report.mappings).flatMap((mapping) =>
            mapping.partitions.map((each) => each.end),
          );
          return (
            ends.reduce((sum, end) => sum + end, 0) > POISON_RECORDS * kafkaMappings.length &&
            report.mappings.every((mapping) =>
              mapping.kind === "kafka"
                ? mapping.totalLag === 0
                : mapping.shards.length > 0 && mapping.atEnd,
            )
          );
        },
        120_000,
      );

      // Act
      const { code, stderr, mappings } = await lagJson();
      const table = await runTool("lag", [], cliEnv);

      // Assess
      expect(code, stderr).toBe(0);
      for (const mapping of kafkaOf(mappings)) {
        expect(mapping.totalLag).toBe(0);
        for (const partition of mapping.partitions.filter((each) => each.end > 0)) {
          expect(partition.committed).toBe(partition.end);
        }
      }
      const stream = mappings.find(
        (mapping): mapping is StreamMappingLag => mapping.kind === "dynamodb-stream",
      );
      expect(stream?.streamArn).toMatch(/^arn:aws:dynamodb:.+:table\/orders\/stream\//);
      expect(stream?.shards.length).toBeGreaterThan(0);
      for (const shard of stream?.shards ?? []) {
        expect(shard.atEnd).toBe(true);
        expect(shard.recordsBehind).toBe(0);
        expect(shard.checkpoint).not.toBeNull();
        expect(shard.checkpoint).toBe(shard.latestSequenceNumber);
      }
      expect(table.stdout).toContain("outbox-relay  stream of orders: at end");
    } finally {
      clients.destroy();
      await runtime.stop();
    }
  });

  it("says which address does not answer, and exits 1", async () => {
    // Prepare
    const [port] = await freePorts(1);

    // Act
    const run = await runTool("lag", [], { ...cliEnv, KAFKA_BROKERS: `127.0.0.1:${port}` });

    // Assess
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`Kafka does not answer at 127.0.0.1:${port}`);
    expect(run.stdout).toBe("");
  });

  it("still shows the Kafka mappings when DynamoDB does not answer, names it, and exits 1", async () => {
    // Prepare
    const [port] = await freePorts(1);

    // Act
    const run = await runTool("lag", ["--json"], {
      ...cliEnv,
      AWS_ENDPOINT_URL: `http://127.0.0.1:${port}`,
    });

    // Assess
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("DynamoDB does not answer for table orders");
    const mappings = run.stdout
      .split("\n")
      .filter((line) => line.length > 0)
      .map((line) => JSON.parse(line) as MappingLag);
    expect(kafkaOf(mappings)).toHaveLength(kafkaMappings.length);
    expect(mappings.find((mapping) => mapping.kind === "dynamodb-stream")?.note).toContain(
      `127.0.0.1:${port}`,
    );
  });

  it("names a shard it cannot read, still shows every other mapping, and exits 1", async (test) => {
    // Prepare: the orders table as the runtime creates it, and for its stream's shard a
    // checkpoint the stream refuses (the file as it was is put back afterwards)
    const clients = new ServiceClients(
      readRuntimeSettings({ ...process.env, ...cliEnv, KAFKA_TLS: "false" }, moto.services),
    );
    test.onTestFinished(() => clients.destroy());
    const orders = systemWiring.tables.find((table) => table.name === "orders");
    if (orders === undefined) throw new Error("the wiring declares no orders table");
    const { streamArn } = await ensureTable(clients.dynamodb, orders, orders.name);
    if (streamArn === undefined) throw new Error("the orders table has no stream");
    const described = await clients.streams.send(
      new DescribeStreamCommand({ StreamArn: streamArn }),
    );
    const shardId = described.StreamDescription?.Shards?.[0]?.ShardId;
    if (shardId === undefined) {
      throw new Error(`the orders table's stream has no shard: ${JSON.stringify(described)}`);
    }
    const file = streamCheckpointsFile(stateDir);
    const saved = existsSync(file) ? readFileSync(file, "utf8") : undefined;
    test.onTestFinished(() =>
      saved === undefined ? rmSync(file, { force: true }) : writeFileSync(file, saved),
    );
    fileCheckpoints(file).save(
      mappingPosition("outbox-relay", streamArn),
      shardId,
      "not-a-sequence-number",
    );

    // Act
    const { code, stderr, mappings } = await lagJson();

    // Assess
    expect(code).toBe(1);
    expect(stderr).toContain(`outbox-relay: shard ${shardId} of orders: `);
    expect(kafkaOf(mappings)).toHaveLength(kafkaMappings.length);
    const stream = mappings.find(
      (mapping): mapping is StreamMappingLag => mapping.kind === "dynamodb-stream",
    );
    const shard = stream?.shards.find((each) => each.shardId === shardId);
    expect(shard).toMatchObject({
      checkpoint: "not-a-sequence-number",
      atEnd: false,
      recordsBehindIsLowerBound: true,
    });
    expect(shard?.problem).toEqual(expect.any(String));
    expect(stream?.atEnd).toBe(false);
  });
});
