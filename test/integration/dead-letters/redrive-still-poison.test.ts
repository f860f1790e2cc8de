/**
 * A parked outbox item that is still poison when redriven, on the real broker and moto, with
 * `npm run dead-letters` run as a user runs it: the redrive says `still-poison` and exits 1,
 * parks it again at the same key, and the letter keeps where and when it first failed
 * (`function`, `first_failure_at`) while its last failure moves on, so
 * `list --function outbox-relay` still finds it, not redriven.
 */
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBStreamsClient } from "@aws-sdk/client-dynamodb-streams";
import { S3Client } from "@aws-sdk/client-s3";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import type { DynamoDBRecord } from "aws-lambda";
import { beforeAll, describe, expect, it } from "vitest";
import { toLambdaStreamRecord } from "../../../infra/local/aws/dynamodb-stream-event";
import { ensureBucket } from "../../../infra/local/aws/s3-buckets";
import {
  ORDER_EVENTS_DLQ_TOPIC,
  ORDER_EVENTS_ON_FAILURE_TOPIC,
  ORDER_EVENTS_TOPIC,
  ORDERS_TABLE,
} from "../../../infra/wiring/system-wiring";
import type { DeadLetterSummary, RedriveOutcome } from "../../../shared/dead-letters/inventory";
import type { MessageSender } from "../../../shared/kafka/outgoing-message";
import { createOrderRepository } from "../../../shared/orders/order-repository";
import { createOrderService } from "../../../shared/orders/order-service";
import { relayOutboxRecords, s3OutboxDeadLetters } from "../../../shared/outbox";
import { createDeclaredTable } from "../../support/declared-tables";
import { readWholeStream } from "../../support/dynamodb-streams";
import { createDeclaredTopic, testKafkaClient } from "../../support/kafka-topics";
import { awsClientConfig, uniqueName } from "../../support/local-endpoints";
import { runCli } from "./dead-letters-cli";

const topic = uniqueName("order-events");
const bucket = uniqueName("outbox-dead-letters");
const ordersTable = uniqueName("orders");
const places = { topic, bucket };
/** Smaller than any order's message: the item is poison for the relay and for the redrive. */
const MAX_MESSAGE_BYTES = 100;
const cliEnv = { MAX_MESSAGE_BYTES: String(MAX_MESSAGE_BYTES) };

const dynamodb = new DynamoDBClient(awsClientConfig);
const streams = new DynamoDBStreamsClient(awsClientConfig);
const s3 = new S3Client({ ...awsClientConfig, forcePathStyle: true });

/** The relay parks before it sends anything; a poison-only batch must send nothing. */
const refusingSender: MessageSender = {
  send: async () => {
    throw new Error("a poison-only batch sends nothing");
  },
};

/** Places one order and returns its outbox item's stream record, as Lambda delivers it. */
const outboxRecordOfNewOrder = async (streamArn: string): Promise<DynamoDBRecord> => {
  const orders = createOrderService({
    repository: createOrderRepository({
      client: DynamoDBDocumentClient.from(dynamodb),
      tableName: ordersTable,
      topic,
      source: "orders-api",
      outboxTtlSeconds: 3600,
      idempotencyTtlSeconds: 3600,
    }),
  });
  await orders.place(
    {
      customer_id: "cus-1",
      currency: "EUR",
      items: [{ sku: "A", quantity: 1, unit_price: "1.00" }],
    },
    { trace: {} },
  );
  const outbox = (await readWholeStream(streams, streamArn))
    .map((record) => toLambdaStreamRecord(record, streamArn, awsClientConfig.region))
    .filter((record) => record.dynamodb?.Keys?.sk?.S?.startsWith("OUTBOX#"));
  expect(outbox).toHaveLength(1);
  return outbox[0] as DynamoDBRecord;
};

let streamArn = "";

beforeAll(async () => {
  const kafka = testKafkaClient();
  await Promise.all([
    createDeclaredTopic(ORDER_EVENTS_TOPIC, topic, kafka),
    createDeclaredTopic(ORDER_EVENTS_DLQ_TOPIC, `${topic}.dlq`, kafka),
    createDeclaredTopic(ORDER_EVENTS_ON_FAILURE_TOPIC, `${topic}.on-failure`, kafka),
    ensureBucket(s3, bucket),
  ]);
  streamArn = (await createDeclaredTable(dynamodb, ORDERS_TABLE, ordersTable)).streamArn ?? "";
});

describe("redriving an outbox item that is still poison", { timeout: 120_000 }, () => {
  it("parks it again, keeping its first failure, and lists it under its function, not redriven", async () => {
    // Prepare: the relay parked the item an hour ago, too large for the broker
    const firstFailedAt = new Date(Date.now() - 3_600_000);
    const record = await outboxRecordOfNewOrder(streamArn);
    const parked = await relayOutboxRecords([record], {
      sender: refusingSender,
      deadLetters: s3OutboxDeadLetters({ client: s3, bucket, functionName: "outbox-relay" }),
      maxMessageBytes: MAX_MESSAGE_BYTES,
      topics: new Set([topic]),
      now: () => firstFailedAt,
    });
    expect(parked.report).toMatchObject({ deadLettered: 1, failed: 0 });
    const [letter] = (await runCli(places, ["list", "--json"], cliEnv)).json();
    expect(letter).toMatchObject({ place: "outbox-poison", function: "outbox-relay" });
    const { id } = letter as DeadLetterSummary;

    // Act: a redrive with the limit unchanged, so the relay's code refuses it again
    const redrive = await runCli(places, ["redrive", "--json", "--place", "outbox-poison"], cliEnv);
    const listed = await runCli(places, ["list", "--json", "--function", "outbox-relay"], cliEnv);
    const shown = await runCli(places, ["show", id], cliEnv);

    // Assess: the redrive says so, and exits 1 as nothing it was asked to move went
    expect(redrive.code, redrive.stderr).toBe(1);
    expect(redrive.json<RedriveOutcome>()).toEqual([
      {
        id,
        outcome: "still-poison",
        records: 1,
        detail: expect.stringMatching(/^parked again: The message would be \d+ bytes/),
      },
    ]);
    const [again] = listed.json();
    expect(listed.json()).toHaveLength(1);
    expect(again).toMatchObject({
      id,
      function: "outbox-relay",
      first_failure_at: firstFailedAt.toISOString(),
      redriven_at: null,
      reason: expect.stringContaining(`above the broker's maximum of ${MAX_MESSAGE_BYTES}`),
    });
    expect(Date.parse(again?.last_failure_at ?? "")).toBeGreaterThan(
      firstFailedAt.getTime() + 3_000_000,
    );
    const stored = (JSON.parse(shown.stdout) as { stored: { value: Record<string, unknown> } })
      .stored.value;
    expect(stored).toMatchObject({
      function: "outbox-relay",
      first_failed_at: firstFailedAt.toISOString(),
      parked_by: "dead-letters",
    });

    // A second redrive takes it again: the letter is still not redriven.
    const second = await runCli(places, ["redrive", "--json", "--place", "outbox-poison"], cliEnv);
    expect(second.json<RedriveOutcome>().map((outcome) => outcome.outcome)).toEqual([
      "still-poison",
    ]);
  });
});
