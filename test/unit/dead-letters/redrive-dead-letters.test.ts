/**
 * Redrive's own decisions, with a recording sender and an in-memory ledger: the pace
 * `--rate` sets, what is skipped and why, a dry run that sends and marks nothing, a failed
 * send that leaves its letter unmarked while the rest go on, and outbox records still
 * poison, parked again with their first failure and reported.
 */
import type { DynamoDBRecord } from "aws-lambda";
import { beforeAll, describe, expect, it } from "vitest";
import { buildDeadLetter } from "../../../shared/dead-letters";
import {
  agedOutEntry,
  type DeadLetterEntry,
  dlqEntry,
  type LedgerMark,
  type RedriveLedger,
  redriveDeadLetters,
} from "../../../shared/dead-letters/inventory";
import type { KafkaRecord } from "../../../shared/kafka/kafka-record";
import type { MessageSender, OutgoingMessage } from "../../../shared/kafka/outgoing-message";
import { setupTracing } from "../../../shared/observability";
import type { PoisonOutboxItem } from "../../../shared/outbox/outbox-dead-letters";
import { toOutboxItem } from "../../../shared/outbox/outbox-item";
import { outboxStreamRecord } from "../../support/outbox-stream-record";

const NOW = new Date("2026-12-02T10:00:00.000Z");

const entry = (offset: number, redrivenAt: string | null = null): DeadLetterEntry => {
  const original: KafkaRecord = {
    topic: "order-events",
    partition: 0,
    offset,
    timestamp: NOW.getTime(),
    timestampType: "CREATE_TIME",
    key: Buffer.from(`ord-${offset}`),
    value: Buffer.from("{}"),
    headers: [],
  };
  const letter = buildDeadLetter({
    record: original,
    error: new Error("refused"),
    kind: "permanent",
    functionName: "order-created",
    attempts: 1,
    firstFailureAt: NOW,
    lastFailureAt: NOW,
  });
  const read = dlqEntry({
    ...original,
    topic: letter.topic,
    offset,
    key: letter.key,
    value: letter.value,
    headers: [...letter.headers] as KafkaRecord["headers"],
  });
  return { ...read, summary: { ...read.summary, redriven_at: redrivenAt } };
};

/** An order's outbox item as its stream record, naming `topic`. */
const outboxRecord = (sequence: number, topic: string): DynamoDBRecord => {
  const item = toOutboxItem(
    {
      event_id: `e-${sequence}`,
      event_type: "OrderCreated",
      aggregate_id: `ord-${sequence}`,
      aggregate_version: 1,
    },
    { topic, partitionKey: `ORDER#ord-${sequence}`, headers: {}, now: NOW, ttlSeconds: 60 },
  );
  return outboxStreamRecord(item, sequence);
};

/** A stream batch the relay's mapping gave up on at NOW, as Lambda stores it in S3. */
const agedOutBatch = (records: readonly DynamoDBRecord[]): DeadLetterEntry =>
  agedOutEntry("aws/lambda/m/s/k", {
    version: "1.0",
    timestamp: NOW.toISOString(),
    requestContext: {
      requestId: "r-1",
      functionArn: "arn:aws:lambda:us-east-1:000000000000:function:outbox-relay",
      condition: "RecordAgeExceeded",
      approximateInvokeCount: 4,
    },
    responseContext: { statusCode: 200, executedVersion: "$LATEST", functionError: "Unhandled" },
    payload: { Records: records },
  });

const fixture = (failOn?: string) => {
  const sent: OutgoingMessage[] = [];
  const parked: PoisonOutboxItem[] = [];
  const marks: { mark: LedgerMark; id: string }[] = [];
  const sleeps: number[] = [];
  const sender: MessageSender = {
    send: async (messages) => {
      if (messages.some((message) => message.key?.toString() === failOn))
        throw new Error("broker down");
      sent.push(...messages);
      return { acknowledgements: [] };
    },
  } as MessageSender;
  const ledger: RedriveLedger = {
    mark: async (mark, id) => {
      marks.push({ mark, id });
    },
    read: async () => ({ redriven: new Map(), purged: new Map() }),
  };
  const relay = {
    deadLetters: {
      put: async (item: PoisonOutboxItem) => {
        parked.push(item);
      },
    },
    maxMessageBytes: 1_000,
    topics: new Set(["order-events"]),
  };
  const sleep = async (ms: number) => {
    sleeps.push(ms);
  };
  return { sent, marks, sleeps, parked, dependencies: { sender, ledger, relay, sleep } };
};

beforeAll(() => {
  // As the dead-letters function does at cold start: the relay's code opens its spans.
  setupTracing({ serviceName: "dead-letters" });
});

describe("redriveDeadLetters", () => {
  it("sends each original back to its topic and marks it; --rate spaces the sends", async () => {
    const { sent, marks, sleeps, dependencies } = fixture();
    const outcomes = await redriveDeadLetters([entry(1), entry(2), entry(3)], {
      ...dependencies,
      again: false,
      dryRun: false,
      rate: 2,
    });
    expect(outcomes.map((outcome) => outcome.outcome)).toEqual([
      "redriven",
      "redriven",
      "redriven",
    ]);
    expect(sent.map((message) => [message.topic, message.key?.toString()])).toEqual([
      ["order-events", "ord-1"],
      ["order-events", "ord-2"],
      ["order-events", "ord-3"],
    ]);
    expect(marks.map((mark) => mark.mark)).toEqual(["redriven", "redriven", "redriven"]);
    // 2 records/s: about half a second before each record after the first.
    expect(sleeps).toHaveLength(2);
    for (const ms of sleeps) expect(ms).toBeGreaterThan(400);
  });

  it("skips what was redriven unless again, and a dry run sends and marks nothing", async () => {
    const { sent, marks, dependencies } = fixture();
    const skipped = await redriveDeadLetters([entry(1, NOW.toISOString())], {
      ...dependencies,
      again: false,
      dryRun: false,
    });
    expect(skipped).toEqual([
      expect.objectContaining({ outcome: "skipped", detail: expect.stringContaining("--again") }),
    ]);
    const dry = await redriveDeadLetters([entry(1, NOW.toISOString()), entry(2)], {
      ...dependencies,
      again: true,
      dryRun: true,
    });
    expect(dry.map((outcome) => outcome.outcome)).toEqual(["would-redrive", "would-redrive"]);
    expect(sent).toEqual([]);
    expect(marks).toEqual([]);
  });

  it("a failed send leaves its letter unmarked, and the others still go", async () => {
    const { sent, marks, dependencies } = fixture("ord-1");
    const outcomes = await redriveDeadLetters([entry(1), entry(2)], {
      ...dependencies,
      again: false,
      dryRun: false,
    });
    expect(outcomes).toEqual([
      expect.objectContaining({ outcome: "failed", detail: "Error: broker down" }),
      expect.objectContaining({ outcome: "redriven" }),
    ]);
    expect(sent.map((message) => message.key?.toString())).toEqual(["ord-2"]);
    expect(marks.map((mark) => mark.id)).toEqual([outcomes[1]?.id]);
  });

  it("parks a still-poison outbox record again with its first failure, and says so", async () => {
    // Prepare: a batch Lambda gave up on at NOW, one of whose items names an unwired topic
    const { sent, marks, parked, dependencies } = fixture();
    const batch = agedOutBatch([outboxRecord(1, "order-events"), outboxRecord(2, "elsewhere")]);
    const stillPoison = agedOutBatch([outboxRecord(3, "elsewhere")]);

    // Act
    const outcomes = await redriveDeadLetters([batch, stillPoison], {
      ...dependencies,
      again: false,
      dryRun: false,
    });

    // Assess: the good record is published; each poison one parked as first failed, at NOW
    expect(sent.map((message) => message.key?.toString())).toEqual(["ord-1"]);
    expect(parked.map((item) => item.record.dynamodb?.SequenceNumber)).toEqual(["2", "3"]);
    for (const item of parked) {
      expect(item.firstFailure).toEqual({ at: NOW, functionName: "outbox-relay" });
      expect(item.failedAt.getTime()).toBeGreaterThan(NOW.getTime());
    }
    const unwired = 'parked again: The topic "elsewhere" is not one the relay publishes to';
    expect(outcomes).toEqual([
      expect.objectContaining({
        outcome: "redriven",
        records: 2,
        detail: expect.stringContaining(`1 of 2 record(s) still poison, ${unwired}`),
      }),
      expect.objectContaining({
        outcome: "still-poison",
        records: 1,
        detail: expect.stringContaining(unwired),
      }),
    ]);
    expect(marks.map((mark) => mark.id)).toEqual(outcomes.map((outcome) => outcome.id));
  });
});
