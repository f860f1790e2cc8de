/**
 * A transient failure in provisioned mode, for real: the read-model table does not exist yet
 * (moto answers ResourceNotFoundException, as DynamoDB does before a deployment finishes).
 * order-created retries each record in-process, then answers a partial batch response naming
 * exactly the records Lambda must deliver again; poison ahead of the failures is dead-lettered
 * at once, poison behind them waits for the redelivery. Once the table exists, the
 * redelivery Lambda would make applies the rest.
 */
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type { Context } from "aws-lambda";
import type { Producer } from "kafkajs";
import {
  afterAll,
  afterEach,
  beforeAll,
  beforeEach,
  describe,
  expect,
  it,
  type MockInstance,
  vi,
} from "vitest";
import { READ_MODEL_TABLE } from "../../infra/wiring/system-wiring";
import type { KafkaBatchResponse } from "../../shared/consumer";
import { readDeadLetter } from "../../shared/dead-letters";
import { disconnectSharedProducers, eventHeaders, type LambdaKafkaEvent } from "../../shared/kafka";
import type { KafkaRecord } from "../../shared/kafka/kafka-record";
import { placeOrder, shipOrder } from "../../shared/orders/commands";
import { decideTransition } from "../../shared/orders/order";
import type { OrderEvent } from "../../shared/orders/order-events";
import { createReadModelQueries } from "../../shared/read-model";
import { useConsumerEnvironment } from "../support/consumer-environment";
import { createDeclaredTable } from "../support/declared-tables";
import { createTopic, readTopic, testKafkaClient } from "../support/kafka-topics";
import { lambdaContext } from "../support/lambda-context";
import { awsClientConfig, uniqueName } from "../support/local-endpoints";
import { mskEvent } from "../support/msk-events";
import { jsonLines } from "../unit/observability/fixtures";

const RETRY_ATTEMPTS = 3;
const tableName = uniqueName("order-read-model-not-yet");
const topic = uniqueName("order-events");
const deadLetterTopic = `${topic}.dlq`;
const dynamodb = new DynamoDBClient(awsClientConfig);
const kafka = testKafkaClient();
let rawProducer: Producer;
let orderCreated: (event: LambdaKafkaEvent, context: Context) => Promise<unknown>;
let stderr: MockInstance<typeof process.stderr.write>;

const customerId = uniqueName("cus");
const orderEvent = (label: string): OrderEvent =>
  placeOrder.decide(
    {
      customer_id: customerId,
      currency: "EUR",
      items: [{ sku: label, quantity: 1, unit_price: "5.00" }],
    },
    { orderId: uniqueName(label), now: new Date() },
  ).event;
const schemaViolation = (): OrderEvent => {
  const event = orderEvent("bad");
  return { ...event, data: { ...event.data, total: "0.01" } } as OrderEvent;
};

/** Produces one record to an exact partition, so the test knows every offset. */
const produce = async (partition: number, key: string, event: OrderEvent) => {
  await rawProducer.send({
    topic,
    messages: [
      {
        partition,
        key,
        value: JSON.stringify(event),
        headers: eventHeaders(event, { source: "test" }),
      },
    ],
  });
};

const deadLettered = async (): Promise<string[]> =>
  (await readTopic(deadLetterTopic))
    .map((record) => readDeadLetter(record).original)
    .map(({ partition, offset }) => `${partition}@${offset}`)
    .sort();

const failuresOf = (response: KafkaBatchResponse): string[] =>
  response.batchItemFailures.map(
    ({ itemIdentifier }) => `${itemIdentifier.partition}@${itemIdentifier.offset}`,
  );

/** What Lambda delivers again: per failed partition, every record from the lowest failed offset. */
const redeliveryOf = (records: readonly KafkaRecord[], response: KafkaBatchResponse) => {
  const lowest = new Map<string, number>();
  for (const { itemIdentifier } of response.batchItemFailures) {
    const { partition, offset } = itemIdentifier;
    lowest.set(partition, Math.min(lowest.get(partition) ?? offset, offset));
  }
  return records.filter((record) => {
    const from = lowest.get(`${record.topic}-${record.partition}`);
    return from !== undefined && record.offset >= from;
  });
};

beforeAll(async () => {
  await createTopic(topic, 3);
  await createTopic(deadLetterTopic, 1);
  rawProducer = kafka.producer();
  await rawProducer.connect();
  useConsumerEnvironment(
    { readModelTable: tableName, deadLetterTopic, mode: "provisioned" },
    {
      CONSUMER_RETRY_ATTEMPTS: String(RETRY_ATTEMPTS),
      CONSUMER_RETRY_BASE_DELAY_MS: "20",
      POWERTOOLS_LOG_LEVEL: "WARN",
    },
  );
  ({ handler: orderCreated } = await import("../../functions/order-created/handler"));
});

beforeEach(() => {
  // Powertools writes warnings to stderr; the test reads them to see the attempts made.
  stderr = vi.spyOn(process.stderr, "write").mockImplementation(() => true);
});

afterEach(() => {
  vi.restoreAllMocks();
});

afterAll(async () => {
  await disconnectSharedProducers();
  await rawProducer.disconnect();
  dynamodb.destroy();
});

describe("order-created in provisioned mode while the read model is unavailable", () => {
  it("retries, names exactly the records to deliver again, and applies them once the table exists", async () => {
    // Prepare: partition 0 = poison, A, B, poison; partition 1 = a shipment (not ours), D;
    // partition 2 = poison only
    const a = orderEvent("a");
    const b = orderEvent("b");
    const d = orderEvent("d");
    const placedC = placeOrder.decide(
      {
        customer_id: customerId,
        currency: "EUR",
        items: [{ sku: "c", quantity: 1, unit_price: "1.00" }],
      },
      { orderId: uniqueName("c"), now: new Date() },
    );
    await produce(0, "poison-0", schemaViolation());
    await produce(0, a.aggregate_id, a);
    await produce(0, b.aggregate_id, b);
    await produce(0, "poison-3", schemaViolation());
    await produce(
      1,
      placedC.order.order_id,
      decideTransition(
        shipOrder,
        placedC.order,
        { carrier: "DHL", tracking_number: "1" },
        { now: new Date() },
      ).event,
    );
    await produce(1, d.aggregate_id, d);
    await produce(2, "poison-2", schemaViolation());
    const records = await readTopic(topic);

    // Act
    const response = (await orderCreated(
      mskEvent(records),
      lambdaContext("order-created"),
    )) as KafkaBatchResponse;

    // Assess: the failed records, the poison behind them, nothing else
    expect(failuresOf(response)).toEqual([
      `${topic}-0@1`,
      `${topic}-0@2`,
      `${topic}-0@3`,
      `${topic}-1@1`,
    ]);
    expect(await deadLettered()).toEqual(["0@0", "2@0"]);
    const giveUps = jsonLines(stderr.mock.calls)
      .filter((line) => String(line.message).startsWith("Event could not be applied"))
      .map((line) => [line.partition, line.offset, line.attempts, line.errorClass])
      .sort();
    expect(giveUps).toEqual([
      [0, 1, RETRY_ATTEMPTS, "ReadModelUnavailableError"],
      [0, 2, RETRY_ATTEMPTS, "ReadModelUnavailableError"],
      [1, 1, RETRY_ATTEMPTS, "ReadModelUnavailableError"],
    ]);

    // Act: the table appears; Lambda delivers each failed partition again from its lowest failure
    await createDeclaredTable(dynamodb, READ_MODEL_TABLE, tableName);
    const redelivery = redeliveryOf(records, response);
    const retried = (await orderCreated(
      mskEvent(redelivery),
      lambdaContext("order-created"),
    )) as KafkaBatchResponse;

    // Assess
    expect(redelivery.map(({ partition, offset }) => `${partition}@${offset}`)).toEqual([
      "0@1",
      "0@2",
      "0@3",
      "1@1",
    ]);
    expect(retried).toEqual({ batchItemFailures: [] });
    expect(await deadLettered()).toEqual(["0@0", "0@3", "2@0"]);
    const queries = createReadModelQueries({ client: dynamodb, tableName });
    expect(await queries.customerStats(customerId)).toMatchObject({
      customer_id: customerId,
      orders_placed: 3,
      orders_shipped: 0,
      orders_cancelled: 0,
      lifetime_value: { EUR: "15.00" },
    });
    for (const event of [a, b, d]) {
      expect(await queries.orderView(event.aggregate_id)).toMatchObject({ status: "CREATED" });
    }
  });
});
