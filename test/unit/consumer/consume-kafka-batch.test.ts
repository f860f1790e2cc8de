import { SpanStatusCode } from "@opentelemetry/api";
import { InMemorySpanExporter } from "@opentelemetry/sdk-trace";
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import {
  type ApplyEvent,
  consumeKafkaBatch,
  DeadLetterSendTimeoutError,
  type EffectOutcome,
} from "../../../shared/consumer";
import { readDeadLetter } from "../../../shared/dead-letters";
import { PermanentError, TransientError } from "../../../shared/errors";
import { type KafkaRecord, ProduceTransientError, RecordDecodeError } from "../../../shared/kafka";
import { currentTracer, setupTracing } from "../../../shared/observability";
import type { OrderEvent } from "../../../shared/orders/order-events";
import {
  consumerOf,
  consumerSettings,
  delay,
  eventRecord,
  orderCreated,
  orderShipped,
  RecordingSender,
  rawRecord,
  silentLogger,
} from "./fixtures";

class Flaky extends TransientError {
  override readonly name = "Flaky";
}

class Refused extends PermanentError {
  override readonly name = "Refused";
}

const exporter = new InMemorySpanExporter();

beforeAll(() => {
  setupTracing({ serviceName: "consumer-test", exporter });
});

beforeEach(() => {
  exporter.reset();
});

afterEach(() => {
  vi.restoreAllMocks();
});

const plenty = () => 60_000;

const applyAll: ApplyEvent<OrderEvent> = async () => "applied";

const failuresOf = (outcome: Awaited<ReturnType<typeof consumeKafkaBatch>>) =>
  outcome.response.batchItemFailures.map(
    ({ itemIdentifier }) => `${itemIdentifier.partition}@${itemIdentifier.offset}`,
  );

describe("consumeKafkaBatch", () => {
  it("applies its own events, skips other functions' records and dead-letters poison in one send", async () => {
    // Prepare
    const sender = new RecordingSender();
    const invalid = {
      ...orderCreated("ord-bad"),
      data: { ...orderCreated("ord-bad").data, total: "1.00" },
    };
    const records = [
      eventRecord(orderCreated("ord-1"), { partition: 0, offset: 0 }),
      eventRecord(orderShipped("ord-2"), { partition: 0, offset: 1 }),
      rawRecord(invalid, { partition: 1, offset: 0, key: "ord-bad" }),
      rawRecord(null, { partition: 1, offset: 1, key: "ord-9" }),
      rawRecord("{not json", { partition: 1, offset: 2, key: "ord-3" }),
      eventRecord(orderCreated("ord-4"), { partition: 2, offset: 7 }),
    ];
    const applied: string[] = [];

    // Act
    const outcome = await consumeKafkaBatch(
      records,
      plenty,
      consumerOf(
        async (event) => {
          applied.push(event.aggregate_id);
          return "applied";
        },
        { deadLetters: sender },
      ),
    );

    // Assess
    expect(applied.sort()).toEqual(["ord-1", "ord-4"]);
    expect(outcome.response).toEqual({ batchItemFailures: [] });
    expect(outcome.report).toMatchObject({
      received: 6,
      applied: 2,
      duplicates: 0,
      skipped: 3,
      deadLettered: 1,
      failed: 0,
    });
    expect(sender.sends).toHaveLength(1);
    const [deadLetter] = sender.sends[0] ?? [];
    expect(deadLetter?.topic).toBe("order-events.dlq");
    const { original, failure } = readDeadLetter(deadLetter as KafkaRecord);
    expect(original).toMatchObject({ topic: "order-events", partition: 1, offset: 0 });
    expect(original.value?.equals(records[2]?.value ?? Buffer.alloc(0))).toBe(true);
    expect(failure).toMatchObject({
      kind: "permanent",
      functionName: "order-created",
      attempts: 1,
    });
    expect(failure.errorMessage).toContain("data.total");
  });

  it("counts events applied before as duplicates", async () => {
    // Prepare
    const event = orderCreated("ord-1");
    const seen = new Set<string>();
    const apply: ApplyEvent<OrderEvent> = async ({ event_id }) => {
      const outcome: EffectOutcome = seen.has(event_id) ? "duplicate" : "applied";
      seen.add(event_id);
      return outcome;
    };

    // Act
    const { report } = await consumeKafkaBatch(
      [eventRecord(event, { offset: 0 }), eventRecord(event, { offset: 1 })],
      plenty,
      consumerOf(apply),
    );

    // Assess
    expect(report).toMatchObject({ applied: 1, duplicates: 1, failed: 0 });
  });

  it("applies one key's records in offset order while other keys run concurrently, within the bound", async () => {
    // Prepare: 4 keys x 5 records over 2 partitions, each effect taking a few ms
    const records: KafkaRecord[] = [];
    for (let n = 0; n < 20; n += 1) {
      const partition = n % 2;
      const offset = Math.floor(n / 2);
      records.push(
        eventRecord(orderCreated(`ord-${n}`), { partition, offset, key: `key-${n % 4}` }),
      );
    }
    const log: { key: string; offset: number; at: "start" | "end" }[] = [];
    let inFlight = 0;
    let maxInFlight = 0;
    const apply: ApplyEvent<OrderEvent> = async (_event, { record }) => {
      const key = record.key?.toString() ?? "";
      log.push({ key, offset: record.offset, at: "start" });
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await delay(1 + ((record.offset * 7) % 5));
      inFlight -= 1;
      log.push({ key, offset: record.offset, at: "end" });
      return "applied";
    };

    // Act
    const { report } = await consumeKafkaBatch(
      records,
      plenty,
      consumerOf(apply, { settings: consumerSettings({ concurrency: 3 }) }),
    );

    // Assess
    expect(report.applied).toBe(20);
    for (let k = 0; k < 4; k += 1) {
      const ofKey = log.filter(({ key }) => key === `key-${k}`);
      const expectedOffsets = records
        .filter((record) => record.key?.toString() === `key-${k}`)
        .map((record) => record.offset);
      // Strictly one after another: start, end, start, end ... in offset order.
      expect(ofKey.map(({ at }) => at)).toEqual(expectedOffsets.flatMap(() => ["start", "end"]));
      expect(ofKey.filter(({ at }) => at === "start").map(({ offset }) => offset)).toEqual(
        expectedOffsets,
      );
    }
    expect(maxInFlight).toBe(3);
  });

  it("retries a transient failure with backoff within the budget, then applies the event", async () => {
    // Prepare
    const waits: number[] = [];
    let calls = 0;
    const apply: ApplyEvent<OrderEvent> = async () => {
      calls += 1;
      if (calls < 3) throw new Flaky("throttled");
      return "applied";
    };

    // Act
    const { report, response } = await consumeKafkaBatch(
      [eventRecord(orderCreated("ord-1"), { offset: 0 })],
      plenty,
      consumerOf(apply, {
        sleep: async (ms) => waits.push(ms),
        random: () => 0.5,
      }),
    );

    // Assess
    expect(calls).toBe(3);
    expect(waits).toEqual([5, 10]);
    expect(report).toMatchObject({ applied: 1, failed: 0 });
    expect(response.batchItemFailures).toEqual([]);
  });

  it("reports a record that keeps failing and holds back the later records of its key", async () => {
    // Prepare: key A fails at offset 0; A's offsets 2 and 4 must wait; key B goes on
    const records = [
      eventRecord(orderCreated("A"), { partition: 3, offset: 0 }),
      eventRecord(orderCreated("B"), { partition: 3, offset: 1 }),
      eventRecord(orderCreated("A"), { partition: 3, offset: 2, key: "A" }),
      eventRecord(orderCreated("B"), { partition: 3, offset: 3, key: "B" }),
      eventRecord(orderCreated("A"), { partition: 3, offset: 4, key: "A" }),
    ];
    const attempted: number[] = [];
    const apply: ApplyEvent<OrderEvent> = async (event, { record }) => {
      attempted.push(record.offset);
      if (event.aggregate_id === "A") throw new Flaky("conflict");
      return "applied";
    };

    // Act
    const outcome = await consumeKafkaBatch(records, plenty, consumerOf(apply));

    // Assess
    expect(attempted.filter((offset) => offset === 0)).toHaveLength(3);
    expect(attempted).not.toContain(2);
    expect(attempted).not.toContain(4);
    expect(outcome.report).toMatchObject({ applied: 2, failed: 3 });
    expect(failuresOf(outcome)).toEqual([
      "order-events-3@0",
      "order-events-3@2",
      "order-events-3@4",
    ]);
  });

  it("dead-letters an event its effect refuses for good, with the attempts made, and lets its key go on", async () => {
    // Prepare
    const sender = new RecordingSender();
    const apply: ApplyEvent<OrderEvent> = async (event) => {
      if (event.aggregate_id === "refused") throw new Refused("business rule");
      return "applied";
    };

    // Act
    const { report } = await consumeKafkaBatch(
      [
        eventRecord(orderCreated("refused"), { offset: 0, key: "k" }),
        eventRecord(orderCreated("fine"), { offset: 1, key: "k" }),
      ],
      plenty,
      consumerOf(apply, { deadLetters: sender }),
    );

    // Assess
    expect(report).toMatchObject({ applied: 1, deadLettered: 1, failed: 0 });
    const { failure } = readDeadLetter(sender.sends[0]?.[0] as KafkaRecord);
    expect(failure).toMatchObject({ kind: "permanent", errorClass: "Refused", attempts: 1 });
  });

  it("logs an effect's failure with the trace id its record carries", async () => {
    // Prepare: a record continuing a producer's trace, refused by its effect
    const traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
    const base = eventRecord(orderCreated("refused"), { offset: 0 });
    const record = {
      ...base,
      headers: [
        ...base.headers,
        { name: "traceparent", value: Buffer.from(`00-${traceId}-00f067aa0ba902b7-01`) },
      ],
    };
    const logger = silentLogger();
    const warnings = vi.spyOn(logger, "warn");

    // Act
    await consumeKafkaBatch(
      [record],
      plenty,
      consumerOf(
        async () => {
          throw new Refused("business rule");
        },
        { logger },
      ),
    );

    // Assess
    expect(warnings).toHaveBeenCalledWith(
      "Event cannot be applied; dead-lettering it",
      expect.objectContaining({ trace_id: traceId, errorClass: "Refused" }),
    );
  });

  it("logs each event it applies, or finds applied already, with its record's trace id", async () => {
    // Prepare: two records continuing a producer's trace; the effect finds the second done
    const traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
    const traced = (record: KafkaRecord): KafkaRecord => ({
      ...record,
      headers: [
        ...record.headers,
        { name: "traceparent", value: Buffer.from(`00-${traceId}-00f067aa0ba902b7-01`) },
      ],
    });
    const first = traced(eventRecord(orderCreated("first"), { offset: 0 }));
    const second = traced(eventRecord(orderCreated("second"), { offset: 1 }));
    const logger = silentLogger();
    const infos = vi.spyOn(logger, "info");
    const apply: ApplyEvent<OrderEvent> = async (_event, { record }) =>
      record.offset === 1 ? "duplicate" : "applied";

    // Act
    await consumeKafkaBatch([first, second], plenty, consumerOf(apply, { logger }));

    // Assess: one line each (the two orders' records may run in either order)
    expect(infos).toHaveBeenCalledTimes(2);
    expect(infos).toHaveBeenCalledWith(
      "Event applied",
      expect.objectContaining({ offset: 0, trace_id: traceId }),
    );
    expect(infos).toHaveBeenCalledWith(
      "Event already applied",
      expect.objectContaining({ offset: 1, trace_id: traceId }),
    );
  });

  it("counts an applied event as applied even when logging its line throws", async () => {
    // Prepare: a logger that cannot write an info line
    const logger = silentLogger();
    vi.spyOn(logger, "info").mockImplementation(() => {
      throw new Error("logger broke");
    });

    // Act
    const outcome = await consumeKafkaBatch(
      [eventRecord(orderCreated("ord-logged"), { offset: 0 })],
      plenty,
      consumerOf(applyAll, { logger }),
    );

    // Assess
    expect(failuresOf(outcome)).toEqual([]);
    expect(outcome.report).toMatchObject({ applied: 1, failed: 0 });
  });

  it("starts no record once time runs low, and reports those not started", async () => {
    // Prepare: time is plenty for the first two checks, then below the 1 s margin
    let checks = 0;
    const remaining = () => {
      checks += 1;
      return checks <= 2 ? 10_000 : 900;
    };
    const records = [0, 1, 2, 3].map((offset) =>
      eventRecord(orderCreated(`ord-${offset}`), { offset, key: "one-key" }),
    );

    // Act
    const outcome = await consumeKafkaBatch(
      records,
      remaining,
      consumerOf(applyAll, { settings: consumerSettings({ concurrency: 1 }) }),
    );

    // Assess
    expect(outcome.report).toMatchObject({ applied: 2, failed: 2 });
    expect(failuresOf(outcome)).toEqual(["order-events-0@2", "order-events-0@3"]);
  });

  it("reports every record not reached in time as not done, poison and other functions' too", async () => {
    // Prepare: time for one record only
    let looks = 0;
    const remaining = () => {
      looks += 1;
      return looks <= 1 ? 10_000 : 900;
    };
    const sender = new RecordingSender();
    const records = [
      eventRecord(orderCreated("ord-1"), { offset: 0, key: "k" }),
      rawRecord({ event_type: "OrderCreated" }, { offset: 1, key: "k" }),
      eventRecord(orderShipped("ord-2"), { offset: 2, key: "k" }),
    ];

    // Act
    const outcome = await consumeKafkaBatch(
      records,
      remaining,
      consumerOf(applyAll, { deadLetters: sender }),
    );

    // Assess
    expect(outcome.report).toMatchObject({ applied: 1, skipped: 0, deadLettered: 0, failed: 2 });
    expect(failuresOf(outcome)).toEqual(["order-events-0@1", "order-events-0@2"]);
    expect(sender.sends).toEqual([]);
  });

  it("dead-letters poison ahead of a failure now, and holds back poison behind it (provisioned)", async () => {
    // Prepare: partition 0 = poison @0, failing event @1, poison @2; partition 1 = poison @5
    const sender = new RecordingSender();
    const records = [
      rawRecord({ event_type: "OrderCreated" }, { partition: 0, offset: 0, key: "p" }),
      eventRecord(orderCreated("failing"), { partition: 0, offset: 1 }),
      rawRecord({ event_type: "OrderCreated" }, { partition: 0, offset: 2, key: "q" }),
      rawRecord({ event_type: "OrderCreated" }, { partition: 1, offset: 5, key: "r" }),
    ];

    // Act
    const outcome = await consumeKafkaBatch(
      records,
      plenty,
      consumerOf(
        async () => {
          throw new Flaky("down");
        },
        { deadLetters: sender },
      ),
    );

    // Assess
    const sentOffsets = (sender.sends[0] ?? []).map(
      (message) => readDeadLetter(message as KafkaRecord).original.offset,
    );
    expect(sentOffsets).toEqual([0, 5]);
    expect(outcome.report).toMatchObject({ deadLettered: 2, failed: 2 });
    expect(failuresOf(outcome)).toEqual(["order-events-0@1", "order-events-0@2"]);
  });

  it("sends no dead letters in on-demand mode when the whole batch comes again", async () => {
    // Prepare
    const sender = new RecordingSender();
    const records = [
      rawRecord({ event_type: "OrderCreated" }, { partition: 1, offset: 0, key: "p" }),
      eventRecord(orderCreated("failing"), { partition: 0, offset: 0 }),
    ];

    // Act
    const { report } = await consumeKafkaBatch(
      records,
      plenty,
      consumerOf(
        async () => {
          throw new Flaky("down");
        },
        { deadLetters: sender, settings: consumerSettings({ mode: "on-demand" }) },
      ),
    );

    // Assess
    expect(sender.sends).toEqual([]);
    expect(report).toMatchObject({ deadLettered: 0, failed: 2 });
  });

  it("leaves records whose dead letters were not acknowledged as not done", async () => {
    // Prepare: the broker acknowledges the first of three dead letters
    const sender = new RecordingSender(async () => {
      throw new ProduceTransientError("broker away", {
        firstUnacknowledged: 1,
        kafkaError: "KafkaJSConnectionError",
        kafkaErrorType: undefined,
      });
    });
    const records = [0, 1, 2].map((offset) =>
      rawRecord({ event_type: "OrderCreated" }, { partition: 4, offset, key: `k${offset}` }),
    );

    // Act
    const outcome = await consumeKafkaBatch(
      records,
      plenty,
      consumerOf(applyAll, { deadLetters: sender }),
    );

    // Assess
    expect(outcome.report).toMatchObject({ deadLettered: 1, failed: 2 });
    expect(failuresOf(outcome)).toEqual(["order-events-4@1", "order-events-4@2"]);
  });

  it("logs as an error, and still dead-letters, a record whose reading threw unexpectedly", async () => {
    // Prepare: a reader whose contract threw on one record
    const sender = new RecordingSender();
    const record = rawRecord({ event_type: "OrderCreated" }, { offset: 0, key: "k" });
    const logger = silentLogger();
    const errors = vi.spyOn(logger, "error");
    const warnings = vi.spyOn(logger, "warn");
    const read = () => ({
      kind: "poison" as const,
      error: new RecordDecodeError("invalid", record, "reading the event threw: boom", {
        unexpected: true,
      }),
    });

    // Act
    const outcome = await consumeKafkaBatch(
      [record],
      plenty,
      consumerOf(applyAll, { read, deadLetters: sender, logger }),
    );

    // Assess
    expect(outcome.report).toMatchObject({ deadLettered: 1, failed: 0 });
    expect(errors).toHaveBeenCalledWith(
      expect.stringContaining("Reading the record threw"),
      expect.objectContaining({ errorClass: "RecordDecodeError" }),
    );
    expect(warnings).not.toHaveBeenCalled();
  });

  it("fails only the record whose span cannot start, and applies the others", async () => {
    // Prepare: a tracer that cannot start the span of the record at offset 5
    const tracer = currentTracer();
    const startSpan = tracer.startSpan.bind(tracer);
    vi.spyOn(tracer, "startSpan").mockImplementation((name, options, parent) => {
      if (options?.attributes?.["messaging.kafka.offset"] === 5) throw new Error("span refused");
      return startSpan(name, options, parent);
    });
    const records = [
      eventRecord(orderCreated("ord-1"), { partition: 2, offset: 5 }),
      eventRecord(orderCreated("ord-2"), { partition: 2, offset: 6 }),
    ];
    const applied: string[] = [];

    // Act
    const outcome = await consumeKafkaBatch(
      records,
      plenty,
      consumerOf(async (event) => {
        applied.push(event.aggregate_id);
        return "applied";
      }),
    );

    // Assess
    expect(applied).toEqual(["ord-2"]);
    expect(outcome.report).toMatchObject({ applied: 1, failed: 1 });
    expect(failuresOf(outcome)).toEqual(["order-events-2@5"]);
  });

  it("gives up a dead-letter send that outlasts the invocation's remaining time", async () => {
    // Prepare: a send that never answers; once the record is read, 600 ms are left, 500 ms
    // of them kept for the response
    const sender = new RecordingSender(() => new Promise(() => undefined));
    let looks = 0;
    const remaining = () => {
      looks += 1;
      return looks === 1 ? 60_000 : 600;
    };
    const logger = silentLogger();
    const logged = vi.spyOn(logger, "error");

    // Act
    const outcome = await consumeKafkaBatch(
      [rawRecord({ event_type: "OrderCreated" }, { offset: 0, key: "k" })],
      remaining,
      consumerOf(applyAll, { deadLetters: sender, logger }),
    );

    // Assess
    expect(outcome.report).toMatchObject({ deadLettered: 0, failed: 1 });
    expect(logged).toHaveBeenCalledWith(
      expect.stringContaining("could not be sent"),
      expect.objectContaining({ errorClass: new DeadLetterSendTimeoutError(100).name }),
    );
  });

  it("opens one span per owned record, failed for poison, none for other functions' records", async () => {
    // Act
    await consumeKafkaBatch(
      [
        eventRecord(orderCreated("ord-1"), { offset: 0 }),
        rawRecord({ event_type: "OrderCreated" }, { offset: 1, key: "bad" }),
        eventRecord(orderShipped("ord-2"), { offset: 2 }),
      ],
      plenty,
      consumerOf(applyAll),
    );

    // Assess
    const spans = exporter.getFinishedSpans();
    expect(spans.map((span) => span.name)).toEqual([
      "process order-events",
      "process order-events",
    ]);
    expect(spans.map((span) => span.attributes["messaging.kafka.offset"]).sort()).toEqual([0, 1]);
    const poisonSpan = spans.find((span) => span.attributes["messaging.kafka.offset"] === 1);
    expect(poisonSpan?.status.code).toBe(SpanStatusCode.ERROR);
  });

  it("keeps one span per record through its retries, failed only when the effect fails for good", async () => {
    // Prepare: one record refused, one that succeeds on its second attempt, one that never does
    const calls = new Map<string, number>();
    const apply: ApplyEvent<OrderEvent> = async (event) => {
      const call = (calls.get(event.aggregate_id) ?? 0) + 1;
      calls.set(event.aggregate_id, call);
      if (event.aggregate_id === "ord-refused") throw new Refused("rule");
      if (event.aggregate_id === "ord-down" || call < 2) throw new Flaky("throttled");
      return "applied";
    };

    // Act
    const outcome = await consumeKafkaBatch(
      [
        eventRecord(orderCreated("ord-refused"), { offset: 0 }),
        eventRecord(orderCreated("ord-later"), { offset: 1 }),
        eventRecord(orderCreated("ord-down"), { offset: 2 }),
      ],
      plenty,
      consumerOf(apply, {
        settings: consumerSettings({ retry: { attempts: 3, baseDelayMs: 1, maxDelayMs: 1 } }),
      }),
    );

    // Assess
    expect(outcome.report).toMatchObject({ applied: 1, failed: 1 });
    expect([...calls]).toEqual([
      ["ord-refused", 1],
      ["ord-later", 2],
      ["ord-down", 3],
    ]);
    const spans = exporter.getFinishedSpans();
    const spanOf = (offset: number) =>
      spans.filter((span) => span.attributes["messaging.kafka.offset"] === offset);
    expect([0, 1, 2].map((offset) => spanOf(offset).length)).toEqual([1, 1, 1]);
    expect(spanOf(0)[0]?.status.code).toBe(SpanStatusCode.ERROR);
    expect(spanOf(0)[0]?.attributes["error.type"]).toBe("Refused");
    expect(spanOf(1)[0]?.status.code).toBe(SpanStatusCode.UNSET);
    expect(spanOf(2)[0]?.status.code).toBe(SpanStatusCode.ERROR);
    expect(spanOf(2)[0]?.events.map((event) => event.name)).toEqual(["exception"]);
  });

  it("settles records whose effect failed for good even when telling of it throws", async () => {
    // Prepare: a logger that cannot warn, one refused record and one that never applies
    const logger = silentLogger();
    vi.spyOn(logger, "warn").mockImplementation(() => {
      throw new Error("logger broke");
    });
    const sender = new RecordingSender();
    const apply: ApplyEvent<OrderEvent> = async (event) => {
      throw event.aggregate_id === "ord-refused" ? new Refused("rule") : new Flaky("down");
    };

    // Act
    const outcome = await consumeKafkaBatch(
      [
        eventRecord(orderCreated("ord-refused"), { offset: 0 }),
        eventRecord(orderCreated("ord-down"), { offset: 1 }),
      ],
      plenty,
      consumerOf(apply, {
        logger,
        deadLetters: sender,
        settings: consumerSettings({ retry: { attempts: 2, baseDelayMs: 1, maxDelayMs: 1 } }),
      }),
    );

    // Assess: the refused record is dead-lettered with its own reason, the other left for Lambda
    expect(failuresOf(outcome)).toEqual(["order-events-0@1"]);
    expect(outcome.report).toMatchObject({ deadLettered: 1, failed: 1 });
    expect(
      sender.sends.flat().map((message) => readDeadLetter(message as KafkaRecord).failure),
    ).toEqual([expect.objectContaining({ kind: "permanent", errorClass: "Refused" })]);
  });
});
