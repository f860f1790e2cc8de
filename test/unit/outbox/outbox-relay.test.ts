import { marshall } from "@aws-sdk/util-dynamodb";
import { InMemorySpanExporter } from "@opentelemetry/sdk-trace";
import type { DynamoDBRecord } from "aws-lambda";
import { beforeAll, describe, expect, it } from "vitest";
import {
  isMessageRefusal,
  MessageRefusedError,
} from "../../../shared/kafka/classify-produce-error";
import { ProducePermanentError, ProduceTransientError } from "../../../shared/kafka/errors";
import type { MessageSender, OutgoingMessage } from "../../../shared/kafka/outgoing-message";
import { setupTracing } from "../../../shared/observability";
import type {
  OutboxDeadLetters,
  PoisonOutboxItem,
} from "../../../shared/outbox/outbox-dead-letters";
import { outboxSortKey, toOutboxItem } from "../../../shared/outbox/outbox-item";
import { relayOutboxRecords } from "../../../shared/outbox/outbox-relay";

/** The topics the relay may publish to, as its wiring would tell it. */
const TOPICS: ReadonlySet<string> = new Set(["order-events"]);

let sequence = 100;
const streamRecord = (
  image: Record<string, unknown>,
  eventName: "INSERT" | "MODIFY" = "INSERT",
): DynamoDBRecord => {
  sequence += 1;
  return {
    eventID: `id-${sequence}`,
    eventName,
    eventSource: "aws:dynamodb",
    eventSourceARN:
      "arn:aws:dynamodb:us-east-1:123456789012:table/orders/stream/2026-11-26T00:00:00.000",
    dynamodb: {
      Keys: marshall({ pk: image.pk, sk: image.sk }) as never,
      NewImage: marshall(image, { removeUndefinedValues: true }) as never,
      SequenceNumber: String(sequence),
      StreamViewType: "NEW_IMAGE",
    },
  };
};

const outboxRecord = (orderId: string, version: number) =>
  streamRecord({
    ...toOutboxItem(
      {
        event_id: `e-${orderId}-${version}`,
        event_type: "OrderCreated",
        aggregate_id: orderId,
        aggregate_version: version,
      },
      {
        topic: "order-events",
        partitionKey: `ORDER#${orderId}`,
        headers: { event_type: "OrderCreated" },
        now: new Date(),
        ttlSeconds: 60,
      },
    ),
  });

const recordingSender = (failAt?: number): MessageSender & { sent: OutgoingMessage[] } => {
  const sent: OutgoingMessage[] = [];
  return {
    sent,
    async send(messages) {
      if (failAt !== undefined) {
        sent.push(...messages.slice(0, failAt));
        throw new ProduceTransientError("broker away", {
          firstUnacknowledged: failAt,
          kafkaError: undefined,
          kafkaErrorType: undefined,
        });
      }
      sent.push(...messages);
      return {
        acknowledgements: messages.map((message, offset) => ({
          topic: message.topic,
          partition: 0,
          offset: String(offset),
        })),
      };
    },
  };
};

const deadLetterStore = (failing = false): OutboxDeadLetters & { parked: PoisonOutboxItem[] } => {
  const parked: PoisonOutboxItem[] = [];
  return {
    parked,
    async put(item) {
      if (failing) throw new Error("S3 unavailable");
      parked.push(item);
    },
  };
};

beforeAll(() => {
  setupTracing({ serviceName: "relay-unit" });
});

describe("relayOutboxRecords", () => {
  it("publishes outbox INSERTs in stream order in one send, skipping everything else", async () => {
    // Prepare
    const records = [
      streamRecord({ pk: "ORDER#a", sk: "STATE" }),
      outboxRecord("a", 1),
      outboxRecord("b", 1),
      streamRecord({ pk: "ORDER#a", sk: "STATE" }, "MODIFY"),
      outboxRecord("a", 2),
    ];
    const sender = recordingSender();

    // Act
    const { response, report } = await relayOutboxRecords(records, {
      sender,
      deadLetters: deadLetterStore(),
      maxMessageBytes: 10_000,
      topics: TOPICS,
    });

    // Assess
    expect(response).toEqual({ batchItemFailures: [] });
    expect(
      sender.sent.map(
        (message) => `${message.key}:${JSON.parse(String(message.value)).aggregate_version}`,
      ),
    ).toEqual(["a:1", "b:1", "a:2"]);
    expect(report).toMatchObject({
      received: 5,
      published: 3,
      skipped: 2,
      deadLettered: 0,
      failed: 0,
    });
  });

  it("reports the sequence number of the first unacknowledged record and counts the rest as failed", async () => {
    // Prepare
    const records = [
      outboxRecord("a", 1),
      streamRecord({ pk: "ORDER#x", sk: "STATE" }),
      outboxRecord("b", 1),
      outboxRecord("c", 1),
    ];

    // Act
    const { response, report } = await relayOutboxRecords(records, {
      sender: recordingSender(1),
      deadLetters: deadLetterStore(),
      maxMessageBytes: 10_000,
      topics: TOPICS,
    });

    // Assess
    expect(response.batchItemFailures).toEqual([
      { itemIdentifier: records[2]?.dynamodb?.SequenceNumber },
    ]);
    expect(report).toMatchObject({
      published: 1,
      failed: 2,
      firstFailedSequenceNumber: records[2]?.dynamodb?.SequenceNumber,
    });
    expect(report.failure).toEqual({ errorClass: "ProduceTransientError", message: "broker away" });
  });

  it("never counts a send that threw as all published, whatever its error claims", async () => {
    // Prepare: a sender whose error says every message was acknowledged
    const records = [outboxRecord("a", 1), outboxRecord("b", 1)];

    // Act
    const { response, report } = await relayOutboxRecords(records, {
      sender: recordingSender(2),
      deadLetters: deadLetterStore(),
      maxMessageBytes: 10_000,
      topics: TOPICS,
    });

    // Assess
    expect(response.batchItemFailures).toEqual([
      { itemIdentifier: records[1]?.dynamodb?.SequenceNumber },
    ]);
    expect(report).toMatchObject({ published: 1, failed: 1 });
  });

  it("parks poison items with their reason and never sends them", async () => {
    // Prepare
    const records = [
      outboxRecord("a", 1),
      streamRecord({ pk: "ORDER#p", sk: outboxSortKey(1), item_type: "OUTBOX" }),
      outboxRecord("b", 1),
    ];
    const sender = recordingSender();
    const deadLetters = deadLetterStore();

    // Act
    const { response, report } = await relayOutboxRecords(records, {
      sender,
      deadLetters,
      maxMessageBytes: 10_000,
      topics: TOPICS,
    });

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    expect(sender.sent.map((message) => message.key)).toEqual(["a", "b"]);
    expect(deadLetters.parked.map((item) => item.record)).toEqual([records[1]]);
    expect(deadLetters.parked[0]?.reason).toContain("The outbox item is incomplete");
    expect(report).toMatchObject({ published: 2, deadLettered: 1 });
  });

  it("treats a failure to park a poison item as a failure at that record", async () => {
    // Prepare
    const records = [
      outboxRecord("a", 1),
      streamRecord({ pk: "ORDER#p", sk: outboxSortKey(1), item_type: "OUTBOX" }),
      outboxRecord("b", 1),
    ];

    // Act
    const { response, report } = await relayOutboxRecords(records, {
      sender: recordingSender(),
      deadLetters: deadLetterStore(true),
      maxMessageBytes: 10_000,
      topics: TOPICS,
    });

    // Assess
    expect(response.batchItemFailures).toEqual([
      { itemIdentifier: records[1]?.dynamodb?.SequenceNumber },
    ]);
    expect(report).toMatchObject({ failed: 2, failure: { message: "S3 unavailable" } });
  });

  it("publishes only the records before a poison item it could not park, on every retry", async () => {
    // Prepare: a, poison, b, c, and a bucket that stays unavailable for two attempts
    const records = [
      outboxRecord("a", 1),
      streamRecord({ pk: "ORDER#p", sk: outboxSortKey(1), item_type: "OUTBOX" }),
      outboxRecord("b", 1),
      outboxRecord("c", 1),
    ];
    const sender = recordingSender();
    const relay = (batch: readonly DynamoDBRecord[]) =>
      relayOutboxRecords(batch, {
        sender,
        deadLetters: deadLetterStore(true),
        maxMessageBytes: 10_000,
        topics: TOPICS,
      });

    // Act: the first attempt, then Lambda's retry from the reported record
    const first = await relay(records);
    const retried = await relay(records.slice(1));

    // Assess
    expect(sender.sent.map((message) => message.key)).toEqual(["a"]);
    for (const { response, report } of [first, retried]) {
      expect(response.batchItemFailures).toEqual([
        { itemIdentifier: records[1]?.dynamodb?.SequenceNumber },
      ]);
      expect(report).toMatchObject({ deadLettered: 0, failure: { message: "S3 unavailable" } });
    }
    expect(first.report).toMatchObject({ published: 1, failed: 3 });
    expect(retried.report).toMatchObject({ published: 0, failed: 3 });
  });

  it("parks an item naming a topic its wiring does not let it publish to, and publishes the others", async () => {
    // Prepare: an item for a topic the relay was not given (unknown, or not authorized)
    const elsewhere = streamRecord({
      ...toOutboxItem(
        { event_id: "e-x", event_type: "OrderCreated", aggregate_id: "x", aggregate_version: 1 },
        {
          topic: "payments",
          partitionKey: "ORDER#x",
          headers: { event_type: "OrderCreated" },
          now: new Date(),
          ttlSeconds: 60,
        },
      ),
    });
    const records = [outboxRecord("a", 1), elsewhere, outboxRecord("b", 1)];
    const sender = recordingSender();
    const deadLetters = deadLetterStore();

    // Act
    const { response, report } = await relayOutboxRecords(records, {
      sender,
      deadLetters,
      maxMessageBytes: 10_000,
      topics: TOPICS,
    });

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    expect(sender.sent.map((message) => message.key)).toEqual(["a", "b"]);
    expect(deadLetters.parked.map((item) => item.record)).toEqual([elsewhere]);
    expect(deadLetters.parked[0]).toMatchObject({
      errorClass: "PoisonOutboxItemError",
      reason: 'The topic "payments" is not one the relay publishes to (order-events)',
    });
    expect(report).toMatchObject({ published: 2, deadLettered: 1, failed: 0 });
  });

  it("counts an item above the maximum message size as poison", async () => {
    // Prepare
    const deadLetters = deadLetterStore();

    // Act
    await relayOutboxRecords([outboxRecord("a", 1)], {
      sender: recordingSender(),
      deadLetters,
      maxMessageBytes: 50,
      topics: TOPICS,
    });

    // Assess
    expect(deadLetters.parked[0]?.reason).toMatch(/above the broker's maximum of 50$/);
  });
});

describe("relayOutboxRecords backing off", () => {
  /** A backoff that records what the relay asked of it. */
  const recordingBackoff = () => {
    const calls: string[] = [];
    return {
      calls,
      backoff: {
        async wait(remainingMs: number) {
          calls.push(`wait ${remainingMs}`);
          return 250;
        },
        reset() {
          calls.push("reset");
        },
      },
    };
  };

  it("waits, within the invocation's remaining time, before answering a failed batch", async () => {
    // Prepare
    const { backoff, calls } = recordingBackoff();

    // Act
    const { response, report } = await relayOutboxRecords([outboxRecord("a", 1)], {
      sender: recordingSender(0),
      deadLetters: deadLetterStore(),
      maxMessageBytes: 10_000,
      topics: TOPICS,
      backoff,
      remainingTimeMs: () => 42_000,
    });

    // Assess
    expect(response.batchItemFailures).toHaveLength(1);
    expect(calls).toEqual(["wait 42000"]);
    expect(report).toMatchObject({ failed: 1, backoffMs: 250 });
  });

  it("resets the backoff after a batch that went, and answers at once", async () => {
    // Prepare
    const { backoff, calls } = recordingBackoff();

    // Act
    const { report } = await relayOutboxRecords([outboxRecord("a", 1)], {
      sender: recordingSender(),
      deadLetters: deadLetterStore(),
      maxMessageBytes: 10_000,
      topics: TOPICS,
      backoff,
      remainingTimeMs: () => 42_000,
    });

    // Assess
    expect(calls).toEqual(["reset"]);
    expect(report).not.toHaveProperty("backoffMs");
  });
});

describe("relayOutboxRecords with traces exported", () => {
  it("sends each message in a producer span of the stored trace, and passes that span on", async () => {
    // Prepare
    const exporter = new InMemorySpanExporter();
    setupTracing({ serviceName: "relay-unit-exported", exporter });
    const stored = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
    const record = streamRecord({
      ...toOutboxItem(
        { event_id: "e-1", event_type: "OrderCreated", aggregate_id: "a", aggregate_version: 1 },
        {
          topic: "order-events",
          partitionKey: "ORDER#a",
          headers: { event_type: "OrderCreated", traceparent: stored },
          now: new Date(),
          ttlSeconds: 60,
        },
      ),
    });
    const sender = recordingSender();

    // Act
    await relayOutboxRecords([record], {
      sender,
      deadLetters: deadLetterStore(),
      maxMessageBytes: 10_000,
      topics: TOPICS,
    });

    // Assess
    const [span] = exporter.getFinishedSpans();
    const sent = (sender.sent[0]?.headers as Record<string, string> | undefined)?.traceparent;
    expect(span?.spanContext().traceId).toBe("0af7651916cd43dd8448eb211c80319c");
    expect(span?.parentSpanContext?.spanId).toBe("b7ad6b7169203331");
    expect(sent).toBe(`00-0af7651916cd43dd8448eb211c80319c-${span?.spanContext().spanId}-01`);
    setupTracing({ serviceName: "relay-unit" });
  });
});

describe("relayOutboxRecords when the broker refuses a message", () => {
  /** A broker that refuses the messages whose key is in `refused`, with `errorType`. */
  const refusingSender = (refused: readonly string[], errorType: string) => {
    const sent: OutgoingMessage[] = [];
    return {
      sent,
      async send(messages: readonly OutgoingMessage[]) {
        const at = messages.findIndex((message) => refused.includes(String(message.key)));
        if (at === -1) {
          sent.push(...messages);
          return {
            acknowledgements: messages.map((message) => ({
              topic: message.topic,
              partition: 0,
              offset: "0",
            })),
          };
        }
        sent.push(...messages.slice(0, at));
        const failure = {
          firstUnacknowledged: at,
          kafkaError: "KafkaJSProtocolError",
          kafkaErrorType: errorType,
        };
        const refusal = new ProducePermanentError(`refused: ${errorType}`, failure);
        if (!isMessageRefusal(refusal)) throw refusal;
        // As the producer reports a refused message: found alone, the ones before it acknowledged.
        throw new MessageRefusedError(
          refusal.message,
          failure,
          messages.map((message, index) => (index < at ? acknowledgement(message) : undefined)),
        );
      },
    };
  };

  const acknowledgement = (message: OutgoingMessage) => ({
    topic: message.topic,
    partition: 0,
    offset: "0",
  });

  it("parks a message refused for its size and publishes the others of the batch", async () => {
    // Prepare
    const records = [outboxRecord("a", 1), outboxRecord("big", 1), outboxRecord("c", 1)];
    const sender = refusingSender(["big"], "MESSAGE_TOO_LARGE");
    const deadLetters = deadLetterStore();

    // Act
    const { response, report } = await relayOutboxRecords(records, {
      sender,
      deadLetters,
      maxMessageBytes: 10_000,
      topics: TOPICS,
    });

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    expect(sender.sent.map((message) => message.key)).toEqual(["a", "c"]);
    expect(deadLetters.parked.map((item) => item.record)).toEqual([records[1]]);
    expect(deadLetters.parked[0]).toMatchObject({
      errorClass: "ProducePermanentError",
      reason: "refused: MESSAGE_TOO_LARGE",
    });
    expect(report).toMatchObject({ published: 2, deadLettered: 1, failed: 0 });
  });

  it("goes on after a refused message with the messages not acknowledged yet, none twice", async () => {
    // Prepare: the producer found "big" refused; "c", in another partition, was acknowledged
    const records = ["a", "big", "c", "d"].map((orderId) => outboxRecord(orderId, 1));
    const calls: string[][] = [];
    const sender: MessageSender = {
      async send(messages) {
        calls.push(messages.map((message) => String(message.key)));
        if (calls.length > 1) return { acknowledgements: messages.map(acknowledgement) };
        const [a, , c] = messages.map(acknowledgement);
        throw new MessageRefusedError(
          "refused: MESSAGE_TOO_LARGE",
          {
            firstUnacknowledged: 1,
            kafkaError: "KafkaJSProtocolError",
            kafkaErrorType: "MESSAGE_TOO_LARGE",
          },
          [a, undefined, c, undefined],
        );
      },
    };
    const deadLetters = deadLetterStore();

    // Act
    const { response, report } = await relayOutboxRecords(records, {
      sender,
      deadLetters,
      maxMessageBytes: 10_000,
      topics: TOPICS,
    });

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    expect(calls).toEqual([["a", "big", "c", "d"], ["d"]]);
    expect(deadLetters.parked.map((item) => item.record)).toEqual([records[1]]);
    expect(report).toMatchObject({ published: 3, deadLettered: 1, failed: 0 });
  });

  it("stops at a refused message it cannot park, and sends nothing after it", async () => {
    // Prepare
    const records = [outboxRecord("a", 1), outboxRecord("big", 1), outboxRecord("c", 1)];
    const sender = refusingSender(["big"], "MESSAGE_TOO_LARGE");

    // Act
    const { response, report } = await relayOutboxRecords(records, {
      sender,
      deadLetters: deadLetterStore(true),
      maxMessageBytes: 10_000,
      topics: TOPICS,
    });

    // Assess
    expect(sender.sent.map((message) => message.key)).toEqual(["a"]);
    expect(response.batchItemFailures).toEqual([
      { itemIdentifier: records[1]?.dynamodb?.SequenceNumber },
    ]);
    expect(report).toMatchObject({
      published: 1,
      failed: 2,
      failure: { message: "S3 unavailable" },
    });
  });

  it("waits for an operator when the refusal is about the cluster, not the message", async () => {
    // Prepare
    const records = [outboxRecord("a", 1), outboxRecord("b", 1)];
    const deadLetters = deadLetterStore();

    // Act
    const { response } = await relayOutboxRecords(records, {
      sender: refusingSender(["a", "b"], "TOPIC_AUTHORIZATION_FAILED"),
      deadLetters,
      maxMessageBytes: 10_000,
      topics: TOPICS,
    });

    // Assess
    expect(response.batchItemFailures).toEqual([
      { itemIdentifier: records[0]?.dynamodb?.SequenceNumber },
    ]);
    expect(deadLetters.parked).toEqual([]);
  });
});
