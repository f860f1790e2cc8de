/**
 * One customer's stats item is a hot spot: every event's transaction updates
 * `CUSTOMER#<id>/STATS`, and DynamoDB cancels a transaction that meets another in progress on
 * the same item. moto never shows it (one request at a time); the fault proxy's conflict mode
 * answers such overlaps as DynamoDB does. Through it:
 *
 * - order-created, as deployed (concurrency 16, 3 attempts), takes a burst of 200 events of
 *   one customer in one batch without a failed record: its writer applies one customer's
 *   events one after another, so none of them overlaps another;
 * - an event that waits too long for its customer's turn fails as transient, unsent;
 * - two execution environments on one customer at once do conflict; those conflicts are
 *   transient: retried with backoff, never dead-lettered, and what is still not done is
 *   named for Lambda, whose redeliveries end in exact stats.
 */
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type { Context } from "aws-lambda";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ORDER_EVENTS_TOPIC, READ_MODEL_TABLE } from "../../../infra/wiring/system-wiring";
import {
  type BatchReport,
  consumeKafkaBatch,
  type KafkaBatchResponse,
  ownedEventReader,
  readConsumerSettings,
} from "../../../shared/consumer";
import { isPermanent } from "../../../shared/errors";
import {
  disconnectSharedProducers,
  KafkaProducer,
  type LambdaKafkaEvent,
  publishEvents,
  readKafkaSettings,
} from "../../../shared/kafka";
import type { KafkaRecord } from "../../../shared/kafka/kafka-record";
import { createLogger } from "../../../shared/observability";
import { placeOrder } from "../../../shared/orders/commands";
import { type OrderEvent, orderEventContracts } from "../../../shared/orders/order-events";
import {
  createReadModelQueries,
  createReadModelWriter,
  ReadModelUnavailableError,
} from "../../../shared/read-model";
import { useConsumerEnvironment } from "../../support/consumer-environment";
import { createDeclaredTable } from "../../support/declared-tables";
import {
  type DynamoFaultProxy,
  startDynamoFaultProxy,
} from "../../support/faults/dynamodb-fault-proxy";
import { createDeclaredTopic, readTopic } from "../../support/kafka-topics";
import { lambdaContext } from "../../support/lambda-context";
import { awsClientConfig, kafkaBrokers, uniqueName } from "../../support/local-endpoints";
import { mskEvent } from "../../support/msk-events";

const tableName = uniqueName("order-read-model");
const topic = uniqueName("order-events");
const deadLetterTopic = `${topic}.dlq`;
const moto = new DynamoDBClient(awsClientConfig);
const queries = createReadModelQueries({ client: moto, tableName });
const producer = new KafkaProducer(readKafkaSettings({ KAFKA_BROKERS: kafkaBrokers.join(",") }));
let proxy: DynamoFaultProxy;
let orderCreated: (event: LambdaKafkaEvent, context: Context) => Promise<unknown>;

/** `count` orders of one customer, each its own order (its own key), 1.25 EUR each. */
const ordersOf = (customerId: string, count: number): OrderEvent[] =>
  Array.from(
    { length: count },
    (_, n) =>
      placeOrder.decide(
        {
          customer_id: customerId,
          currency: "EUR",
          items: [{ sku: `SKU-${n}`, quantity: 1, unit_price: "1.25" }],
        },
        { orderId: uniqueName("ord"), now: new Date() },
      ).event,
  );

/** The records of `events`, as the broker holds them. */
const recordsOf = async (events: readonly OrderEvent[]): Promise<KafkaRecord[]> => {
  await publishEvents(producer, topic, events, { source: "test" });
  const wanted = new Set(events.map(({ aggregate_id }) => aggregate_id));
  return (await readTopic(topic)).filter((record) => wanted.has(record.key?.toString() ?? ""));
};

const statsItem = (customerId: string) => `${tableName}:CUSTOMER#${customerId}/STATS`;

beforeAll(async () => {
  await createDeclaredTable(moto, READ_MODEL_TABLE, tableName);
  await createDeclaredTopic(ORDER_EVENTS_TOPIC, topic);
  proxy = await startDynamoFaultProxy({ upstream: awsClientConfig.endpoint, conflicts: true });
  // The function as deployed, its DynamoDB client pointed at the proxy.
  useConsumerEnvironment({ readModelTable: tableName, deadLetterTopic, mode: "provisioned" });
  process.env.AWS_ENDPOINT_URL = proxy.endpoint;
  ({ handler: orderCreated } = await import("../../../functions/order-created/handler"));
});

afterAll(async () => {
  await disconnectSharedProducers();
  await producer.disconnect();
  await proxy.close();
  moto.destroy();
});

describe("a hot customer on DynamoDB's conflict detection", () => {
  it("takes a burst of 200 events of one customer in one batch without a failed record", async () => {
    // Prepare
    const customerId = uniqueName("cus");
    const records = await recordsOf(ordersOf(customerId, 200));
    const before = proxy.counts();

    // Act
    const response = (await orderCreated(
      mskEvent(records),
      lambdaContext("order-created"),
    )) as KafkaBatchResponse;

    // Assess
    const after = proxy.counts();
    expect(records).toHaveLength(200);
    expect(response).toEqual({ batchItemFailures: [] });
    expect(await queries.customerStats(customerId)).toMatchObject({
      orders_placed: 200,
      lifetime_value: { EUR: "250.00" },
    });
    // Each event's transaction went to moto once, and none met another on the stats item.
    const transactions =
      (after.byOperation.TransactWriteItems ?? 0) - (before.byOperation.TransactWriteItems ?? 0);
    expect(transactions).toBe(200);
    expect(after.overlapsByItem[statsItem(customerId)]).toBeUndefined();
    expect(after.conflictsInjected).toBe(before.conflictsInjected);
  });

  it("fails an event as transient when its customer's line is held too long, and applies it later", async () => {
    // Prepare: a writer that waits 100 ms for a turn, and a first transaction held 600 ms
    const client = new DynamoDBClient({
      ...awsClientConfig,
      endpoint: proxy.endpoint,
      maxAttempts: 1,
    });
    const writer = createReadModelWriter({
      client,
      tableName,
      maxTurnWaitMs: 100,
    });
    const customerId = uniqueName("cus");
    const [first, second] = ordersOf(customerId, 2) as [OrderEvent, OrderEvent];
    proxy.setRules([
      { kind: "Latency", latencyMs: 600, operations: ["TransactWriteItems"], times: 1 },
    ]);
    const before = proxy.counts().byOperation.TransactWriteItems ?? 0;

    // Act
    const outcomes = await Promise.allSettled([writer.apply(first), writer.apply(second)]);
    const sentWhileHeld = (proxy.counts().byOperation.TransactWriteItems ?? 0) - before;
    proxy.setRules([]);
    const later = await writer.apply(second);

    // Assess: the second never went out while the first held the line, and went out later
    expect(outcomes[0]).toEqual({ status: "fulfilled", value: "applied" });
    expect(outcomes[1]?.status).toBe("rejected");
    const error = outcomes[1]?.status === "rejected" ? outcomes[1].reason : undefined;
    expect(error).toBeInstanceOf(ReadModelUnavailableError);
    expect(isPermanent(error)).toBe(false);
    expect(sentWhileHeld).toBe(1);
    expect(later).toBe("applied");
    expect(await queries.customerStats(customerId)).toMatchObject({ orders_placed: 2 });
    client.destroy();
  });

  it("retries conflicts between two environments on one customer, and ends exact", async () => {
    // Prepare: two environments (two writers), each with half of one customer's orders
    const customerId = uniqueName("cus");
    const records = await recordsOf(ordersOf(customerId, 120));
    const halves = [records.filter((_, n) => n % 2 === 0), records.filter((_, n) => n % 2 === 1)];
    const environments = halves.map(() => environment());
    const before = proxy.counts();

    // Act: both at once, then what each names as not done delivered again, as Lambda does
    const first = await Promise.all(halves.map((half, n) => environments[n]?.invoke(half)));
    const reports = first.map((run) => run?.report as BatchReport);
    const left = await redeliverUntilDone(halves, first, environments);

    // Assess
    const conflicts = proxy.counts().conflictsInjected - before.conflictsInjected;
    expect(conflicts).toBeGreaterThan(0);
    expect(reports.map(({ deadLettered }) => deadLettered)).toEqual([0, 0]);
    expect(left).toEqual([[], []]);
    expect(await queries.customerStats(customerId)).toMatchObject({
      orders_placed: 120,
      lifetime_value: { EUR: "150.00" },
    });
  });
});

/** One execution environment: its own writer and client (through the proxy), as deployed. */
const environment = () => {
  const client = new DynamoDBClient({
    ...awsClientConfig,
    endpoint: proxy.endpoint,
    maxAttempts: 1,
  });
  const writer = createReadModelWriter({ client, tableName });
  const settings = readConsumerSettings({
    CONSUMER_MODE: "provisioned",
    DEAD_LETTER_TOPIC: deadLetterTopic,
  });
  return {
    invoke: (records: readonly KafkaRecord[]) =>
      consumeKafkaBatch<OrderEvent>(records, () => 30_000, {
        functionName: "order-created",
        read: ownedEventReader(orderEventContracts, ["OrderCreated"]),
        apply: (event) => writer.apply(event),
        settings,
        deadLetters: producer,
        logger: createLogger("order-created"),
      }),
  };
};

type Environment = ReturnType<typeof environment>;
type Outcome = Awaited<ReturnType<Environment["invoke"]>>;

/**
 * Delivers again to each environment what Lambda would, until nothing is left (or 50 rounds,
 * far more than the few it takes); resolves what is left.
 */
const redeliverUntilDone = async (
  batches: readonly KafkaRecord[][],
  outcomes: readonly (Outcome | undefined)[],
  environments: readonly Environment[],
): Promise<KafkaRecord[][]> => {
  let pending = batches.map((batch, n) => notDone(batch, outcomes[n]));
  for (let round = 0; round < 50 && pending.some((batch) => batch.length > 0); round += 1) {
    const next = await Promise.all(pending.map((batch, n) => environments[n]?.invoke(batch)));
    pending = pending.map((batch, n) => notDone(batch, next[n]));
  }
  return pending;
};

/** What Lambda delivers again: per failed partition, every record from the lowest failed offset. */
const notDone = (batch: readonly KafkaRecord[], outcome: Outcome | undefined): KafkaRecord[] => {
  const lowest = new Map<string, number>();
  for (const { itemIdentifier } of outcome?.response.batchItemFailures ?? []) {
    const { partition, offset } = itemIdentifier;
    lowest.set(partition, Math.min(lowest.get(partition) ?? offset, offset));
  }
  return batch.filter((record) => {
    const from = lowest.get(`${record.topic}-${record.partition}`);
    return from !== undefined && record.offset >= from;
  });
};
