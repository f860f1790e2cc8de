/**
 * A transient failure has an end: a record older than the consumer's age bound whose effect
 * still fails after the in-process retries is dead-lettered as `transient-exhausted`, in both
 * modes; a younger one is left for Lambda. An invocation that leaves records for Lambda lasts
 * at least the configured floor.
 */
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { type ApplyEvent, consumeKafkaBatch, type RecordReader } from "../../../shared/consumer";
import { readDeadLetter } from "../../../shared/dead-letters";
import { PermanentError, TransientError } from "../../../shared/errors";
import type { KafkaRecord } from "../../../shared/kafka";
import { setupTracing } from "../../../shared/observability";
import type { OrderEvent } from "../../../shared/orders/order-events";
import {
  consumerOf,
  consumerSettings,
  eventRecord,
  orderCreated,
  RecordingSender,
  silentLogger,
} from "./fixtures";

class TableAway extends TransientError {
  override readonly name = "TableAway";
}

class Refused extends PermanentError {
  override readonly name = "Refused";
}

beforeAll(() => {
  setupTracing({ serviceName: "transient-exhausted-test" });
});

afterEach(() => {
  vi.restoreAllMocks();
});

const NOW = Date.parse("2026-12-01T12:00:00.000Z");
const BOUND_SECONDS = 5 * 3600;
const clock = () => new Date(NOW);
const plenty = () => 60_000;

/** A record of `orderId` written `ageSeconds` before the test clock. */
const aged = (orderId: string, ageSeconds: number, offset: number, partition = 0): KafkaRecord => ({
  ...eventRecord(orderCreated(orderId), { offset, partition }),
  timestamp: NOW - ageSeconds * 1000,
});

const failuresOf = (outcome: Awaited<ReturnType<typeof consumeKafkaBatch>>) =>
  outcome.response.batchItemFailures.map(
    ({ itemIdentifier }) => `${itemIdentifier.partition}@${itemIdentifier.offset}`,
  );

const alwaysAway: ApplyEvent<OrderEvent> = async () => {
  throw new TableAway("read model table not found");
};

const boundedConsumer = (
  mode: "provisioned" | "on-demand",
  overrides: Parameters<typeof consumerOf>[1] = {},
  apply: ApplyEvent<OrderEvent> = alwaysAway,
) =>
  consumerOf(apply, {
    now: clock,
    settings: consumerSettings({ mode, transientMaxAgeSeconds: BOUND_SECONDS }),
    ...overrides,
  });

const lettersOf = (sender: RecordingSender) =>
  sender.sends.flat().map((message) => readDeadLetter(message as KafkaRecord));

describe("consumeKafkaBatch: transient failures past the age bound", () => {
  it.each(["provisioned", "on-demand"] as const)(
    "%s: dead-letters an old record's transient failure as transient-exhausted, with its attempts and times, and reports it done",
    async (mode) => {
      // Prepare: a record 5 h and 1 s old whose table is away
      const sender = new RecordingSender();
      const record = aged("ord-old", BOUND_SECONDS + 1, 7);

      // Act
      const outcome = await consumeKafkaBatch(
        [record],
        plenty,
        boundedConsumer(mode, { deadLetters: sender }),
      );

      // Assess
      expect(failuresOf(outcome)).toEqual([]);
      expect(outcome.report).toMatchObject({
        deadLettered: 1,
        transientExhausted: 1,
        failed: 0,
      });
      const [letter] = lettersOf(sender);
      expect(letter?.original).toMatchObject({ offset: 7, timestamp: record.timestamp });
      expect(letter?.original.value?.equals(record.value ?? Buffer.alloc(0))).toBe(true);
      expect(letter?.failure).toMatchObject({
        kind: "transient-exhausted",
        errorClass: "TableAway",
        errorMessage: "read model table not found",
        functionName: "order-created",
        attempts: 3,
        firstFailureAt: new Date(NOW),
        lastFailureAt: new Date(NOW),
      });
    },
  );

  it.each(["provisioned", "on-demand"] as const)(
    "%s: leaves a record at or below the bound for Lambda, with no dead letter",
    async (mode) => {
      // Prepare
      const sender = new RecordingSender();

      // Act
      const outcome = await consumeKafkaBatch(
        [aged("ord-young", BOUND_SECONDS, 3)],
        plenty,
        boundedConsumer(mode, { deadLetters: sender }),
      );

      // Assess
      expect(failuresOf(outcome)).toEqual(["order-events-0@3"]);
      expect(outcome.report).toMatchObject({ deadLettered: 0, transientExhausted: 0, failed: 1 });
      expect(sender.sends).toEqual([]);
    },
  );

  it("provisioned: dead-letters the old record, leaves the young one, and lets the old one's key go on", async () => {
    // Prepare: partition 0 = old failing @0, its key's next record @1; partition 1 = young @0
    const sender = new RecordingSender();
    const old = aged("ord-old", 6 * 3600, 0);
    const next = { ...aged("ord-next", 6 * 3600, 1), key: old.key };
    const young = aged("ord-young", 60, 0, 1);
    const applied: string[] = [];
    const apply: ApplyEvent<OrderEvent> = async (event) => {
      if (event.aggregate_id !== "ord-next") throw new TableAway("away");
      applied.push(event.aggregate_id);
      return "applied";
    };

    // Act
    const outcome = await consumeKafkaBatch(
      [old, next, young],
      plenty,
      boundedConsumer("provisioned", { deadLetters: sender }, apply),
    );

    // Assess
    expect(applied).toEqual(["ord-next"]);
    expect(failuresOf(outcome)).toEqual(["order-events-1@0"]);
    expect(
      lettersOf(sender).map(({ original, failure }) => [original.offset, failure.kind]),
    ).toEqual([[0, "transient-exhausted"]]);
  });

  it("on-demand: holds the old record's letter back while a young one keeps the batch coming again", async () => {
    // Prepare
    const sender = new RecordingSender();

    // Act
    const outcome = await consumeKafkaBatch(
      [aged("ord-old", 6 * 3600, 0), aged("ord-young", 60, 0, 1)],
      plenty,
      boundedConsumer("on-demand", { deadLetters: sender }),
    );

    // Assess: Lambda delivers both again; the old one is dead-lettered once the batch can end
    expect(sender.sends).toEqual([]);
    expect(outcome.report).toMatchObject({ deadLettered: 0, failed: 2 });
  });

  it("keeps a permanent failure of an old record permanent", async () => {
    // Prepare
    const sender = new RecordingSender();

    // Act
    await consumeKafkaBatch(
      [aged("ord-old", 6 * 3600, 0)],
      plenty,
      boundedConsumer("provisioned", { deadLetters: sender }, async () => {
        throw new Refused("rule");
      }),
    );

    // Assess
    expect(lettersOf(sender).map(({ failure }) => failure.kind)).toEqual(["permanent"]);
  });

  it("dead-letters an old record the framework fails on (a reader that throws), and logs both as errors", async () => {
    // Prepare
    const sender = new RecordingSender();
    const logger = silentLogger();
    const errors = vi.spyOn(logger, "error");
    const read: RecordReader<OrderEvent> = () => {
      throw new Error("reader broke");
    };

    // Act
    const outcome = await consumeKafkaBatch(
      [aged("ord-old", 6 * 3600, 0), aged("ord-young", 60, 1)],
      plenty,
      boundedConsumer("provisioned", { deadLetters: sender, read, logger }),
    );

    // Assess
    expect(failuresOf(outcome)).toEqual(["order-events-0@1"]);
    expect(lettersOf(sender).map(({ failure }) => [failure.kind, failure.attempts])).toEqual([
      ["transient-exhausted", 1],
    ]);
    expect(errors).toHaveBeenCalledWith(
      expect.stringContaining("outlasted the age bound"),
      expect.objectContaining({
        offset: 0,
        errorClass: "Error",
        recordAgeSeconds: 6 * 3600,
        transientMaxAgeSeconds: BOUND_SECONDS,
      }),
    );
  });
});

describe("consumeKafkaBatch: the floor of an invocation that leaves records for Lambda", () => {
  it("waits out the floor before answering when records are left, and not otherwise", async () => {
    // Prepare
    const waits: number[] = [];
    const sleep = async (ms: number) => waits.push(ms);
    const settings = consumerSettings({ failedBatchMinMs: 2_160 });

    // Act
    const failing = await consumeKafkaBatch(
      [aged("ord-1", 60, 0)],
      plenty,
      consumerOf(alwaysAway, { now: clock, settings, sleep }),
    );
    const retriesWaited = waits.splice(0);
    const going = await consumeKafkaBatch(
      [aged("ord-2", 60, 1)],
      plenty,
      consumerOf(async () => "applied", { now: clock, settings, sleep }),
    );

    // Assess: the in-process retries' waits, then the rest of the floor; nothing when done
    expect(retriesWaited.length).toBe(3);
    const held = retriesWaited.at(-1) ?? 0;
    expect(held).toBeGreaterThan(2_160 - 200);
    expect(held).toBeLessThanOrEqual(2_160);
    expect(failing.report.waitedMs).toBe(held);
    expect(going.report.waitedMs).toBe(0);
    expect(waits).toEqual([]);
  });

  it("never waits into the time kept for the response", async () => {
    // Prepare: 1.2 s left once the record failed, 500 ms of it kept for the response
    const waits: number[] = [];
    let looks = 0;
    const remaining = () => {
      looks += 1;
      return looks <= 1 ? 60_000 : 1_200;
    };

    // Act
    const outcome = await consumeKafkaBatch(
      [aged("ord-1", 60, 0)],
      remaining,
      consumerOf(alwaysAway, {
        now: clock,
        settings: consumerSettings({
          failedBatchMinMs: 10_000,
          retry: { attempts: 1, baseDelayMs: 1, maxDelayMs: 1 },
        }),
        sleep: async (ms) => waits.push(ms),
      }),
    );

    // Assess
    expect(waits).toEqual([700]);
    expect(outcome.report.waitedMs).toBe(700);
  });
});
