/**
 * The dead-letters tool's pure parts: each place's letter read into one summary (with its
 * id, kind and reason), filters, and the command line's parsing with its clear errors.
 */
import { describe, expect, it } from "vitest";
import {
  DeadLettersUsageError,
  readDeadLettersOptions,
} from "../../../infra/local/dead-letters/options";
import { buildDeadLetter } from "../../../shared/dead-letters";
import {
  agedOutEntry,
  decodedValue,
  dlqEntry,
  onFailureEntry,
  poisonEntry,
  selectEntries,
  withMarks,
} from "../../../shared/dead-letters/inventory";
import type { KafkaRecord } from "../../../shared/kafka/kafka-record";

const NOW = new Date("2026-12-02T10:00:00.000Z");
const event = { event_id: "e-1", event_type: "OrderCreated", aggregate_id: "ord-1" };

const original: KafkaRecord = {
  topic: "order-events",
  partition: 2,
  offset: 41,
  timestamp: NOW.getTime(),
  timestampType: "CREATE_TIME",
  key: Buffer.from("ord-1"),
  value: Buffer.from(JSON.stringify(event)),
  headers: [{ name: "event_type", value: Buffer.from("OrderCreated") }],
};

const dlqRecord = (): KafkaRecord => {
  const letter = buildDeadLetter({
    record: original,
    error: new RangeError("total out of range"),
    kind: "permanent",
    functionName: "order-created",
    attempts: 1,
    firstFailureAt: NOW,
    lastFailureAt: NOW,
  });
  return {
    ...original,
    topic: letter.topic,
    partition: 0,
    offset: 7,
    key: letter.key,
    value: letter.value,
    headers: [...letter.headers] as KafkaRecord["headers"],
  };
};

const invocation = (payload: unknown, condition: string) => ({
  version: "1.0",
  timestamp: NOW.toISOString(),
  requestContext: {
    requestId: "r-1",
    functionArn: "arn:aws:lambda:us-east-1:000000000000:function:outbox-relay",
    condition,
    approximateInvokeCount: 3,
  },
  responseContext: { statusCode: 200, executedVersion: "$LATEST", functionError: "Unhandled" },
  payload,
});

const streamRecord = (sequence: string) => ({
  eventName: "INSERT",
  eventSourceARN: "arn:aws:dynamodb:us-east-1:000000000000:table/orders/stream/x",
  dynamodb: { SequenceNumber: sequence, NewImage: { value: { S: JSON.stringify(event) } } },
});

/** An outbox item the relay parked at NOW as too large. */
const parkedItem = () =>
  poisonEntry("poison/orders/9.json", {
    reason: "too large",
    error_class: "PoisonOutboxItemError",
    function: "outbox-relay",
    failed_at: NOW.toISOString(),
    record: streamRecord("9"),
  });

describe("dead-letter summaries", () => {
  it("reads a DLQ letter: its source, event, kind, reason and a stable id", () => {
    const entry = dlqEntry(dlqRecord());
    expect(entry.summary).toMatchObject({
      id: "dlq:order-events.dlq:0:7",
      place: "dlq",
      source_topic: "order-events",
      source_partition: 2,
      source_offset: 41,
      event_type: "OrderCreated",
      event_id: "e-1",
      kind: "permanent",
      reason: "total out of range",
      error_class: "RangeError",
      function: "order-created",
      attempts: 1,
      redriven_at: null,
      not_redrivable: null,
    });
    expect(entry.payload).toEqual({
      kind: "kafka",
      records: [expect.objectContaining({ topic: "order-events", offset: 41 })],
    });
  });

  it("reads an on-failure record: Lambda's condition and the record of its payload", () => {
    const payload = {
      eventSource: "aws:kafka",
      records: {
        "order-events-2": [
          {
            topic: "order-events",
            partition: 2,
            offset: 41,
            timestamp: 1,
            timestampType: "CREATE_TIME",
            key: "b3JkLTE=",
            value: original.value?.toString("base64"),
            headers: [],
          },
        ],
      },
    };
    const record = {
      ...original,
      topic: "order-events.on-failure",
      offset: 3,
      value: Buffer.from(JSON.stringify(invocation(payload, "RetryAttemptsExhausted"))),
    };
    expect(onFailureEntry(record).summary).toMatchObject({
      id: "on-failure:order-events.on-failure:2:3",
      kind: "RetryAttemptsExhausted",
      function: "outbox-relay",
      attempts: 3,
      source_offset: 41,
      event_type: "OrderCreated",
      reason: "RetryAttemptsExhausted after 3 invocation(s); last error: Unhandled",
    });
  });

  it("reads a parked item and an aged-out batch, the batch in sequence order, payload as text too", () => {
    const parked = parkedItem();
    expect(parked.summary).toMatchObject({
      id: "outbox-poison:poison/orders/9.json",
      table: "orders",
      sequence_number: "9",
      kind: "permanent",
      reason: "too large",
    });
    const batch = agedOutEntry(
      "aws/lambda/m/s/k",
      invocation(
        JSON.stringify({ Records: [streamRecord("100"), streamRecord("99")] }),
        "RecordAgeExceeded",
      ),
    );
    expect(batch.summary).toMatchObject({
      kind: "RecordAgeExceeded",
      records: 2,
      sequence_number: "99",
    });
    expect(
      batch.payload.records.map(
        (record) => (record as { dynamodb: { SequenceNumber: string } }).dynamodb.SequenceNumber,
      ),
    ).toEqual(["99", "100"]);
  });

  it("reads a parked item parked again: its first failure, function and latest park", () => {
    // Prepare: first refused by the relay an hour before NOW, parked again by a redrive at NOW
    const firstFailedAt = new Date(NOW.getTime() - 3_600_000).toISOString();
    const object = {
      reason: "too large",
      error_class: "PoisonOutboxItemError",
      function: "outbox-relay",
      first_failed_at: firstFailedAt,
      failed_at: NOW.toISOString(),
      parked_by: "dead-letters",
      record: streamRecord("9"),
    };

    // Act
    const { summary } = poisonEntry("poison/orders/9.json", object);

    // Assess
    expect(summary).toMatchObject({
      function: "outbox-relay",
      first_failure_at: firstFailedAt,
      last_failure_at: NOW.toISOString(),
    });
  });

  it("counts a letter redriven only when its redrive started after its last failure", () => {
    // Prepare: an item parked at NOW, then parked again by a redrive that started at NOW too
    // (the same millisecond), and one redriven a millisecond after it failed
    const parked = parkedItem();
    const marksAt = (at: Date) => ({
      redriven: new Map([[parked.summary.id, at]]),
      purged: new Map<string, Date>(),
    });
    const later = new Date(NOW.getTime() + 1);

    // Act
    const sameMillisecond = withMarks(parked, marksAt(NOW));
    const after = withMarks(parked, marksAt(later));
    const before = withMarks(parked, marksAt(new Date(NOW.getTime() - 1)));

    // Assess: still poison after the redrive, so the next redrive takes it again
    expect(sameMillisecond.summary.redriven_at).toBeNull();
    expect(before.summary.redriven_at).toBeNull();
    expect(after.summary.redriven_at).toBe(later.toISOString());
  });

  it("refuses what is not a letter of its place, naming what is wrong", () => {
    expect(() => dlqEntry(original)).toThrow(/dlq_source_topic: is missing/);
    expect(() => poisonEntry("poison/x.json", { reason: 1 })).toThrow();
  });

  it("decodes JSON values and shows other bytes as base64", () => {
    expect(decodedValue(Buffer.from('{"a":1}'))).toEqual({ a: 1 });
    expect(decodedValue(Buffer.from([0xff, 0x00]))).toEqual({ base64: "/wA=" });
    expect(decodedValue(null)).toBeNull();
  });

  it("filters by place, kind, event type and time, then limits", () => {
    const entries = [dlqEntry(dlqRecord())];
    expect(
      selectEntries(entries, { place: ["dlq"], kind: ["permanent"], eventType: ["OrderCreated"] }),
    ).toHaveLength(1);
    expect(selectEntries(entries, { place: ["on-failure"] })).toHaveLength(0);
    expect(selectEntries(entries, { since: new Date(NOW.getTime() + 1) })).toHaveLength(0);
    expect(selectEntries(entries, { before: new Date(NOW.getTime() + 1), limit: 1 })).toHaveLength(
      1,
    );
  });
});

describe("the command line", () => {
  it("parses filters, ages and each command's flags", () => {
    const { request, json } = readDeadLettersOptions(
      ["redrive", "--place", "dlq", "--since", "2h", "--rate", "5", "--dry-run", "--json"],
      NOW,
    );
    expect(json).toBe(true);
    expect(request).toEqual({
      command: "redrive",
      filters: { place: ["dlq"], since: "2026-12-02T08:00:00.000Z" },
      dryRun: true,
      again: false,
      rate: 5,
    });
    expect(readDeadLettersOptions(["purge", "--older-than", "7d"], NOW).request).toEqual({
      command: "purge",
      filters: { before: "2026-11-25T10:00:00.000Z" },
    });
    expect(readDeadLettersOptions(["show", "dlq:t:0:1"], NOW).request).toEqual({
      command: "show",
      id: "dlq:t:0:1",
    });
  });

  it("says clearly what is wrong with bad input", () => {
    const bad = (args: string[]) => () => readDeadLettersOptions(args, NOW);
    expect(bad(["purge"])).toThrow(DeadLettersUsageError);
    expect(bad(["purge"])).toThrow(/purge needs --older-than/);
    expect(bad(["list", "--place", "sqs"])).toThrow(/--place: "sqs" is none of/);
    expect(bad(["list", "--limit", "0"])).toThrow(/--limit: "0" must be a positive integer/);
    expect(bad(["list", "--since", "yesterday"])).toThrow(/--since: "yesterday" is no time or age/);
    expect(bad(["show"])).toThrow(/show takes one id/);
    expect(bad(["frobnicate"])).toThrow(/unknown command "frobnicate"/);
    expect(bad(["list", "--nope"])).toThrow(/Unknown option/);
  });
});
