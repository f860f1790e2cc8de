import { describe, expect, it } from "vitest";
import { readKafkaBatchResponse } from "../../../infra/local/runtime/kafka-batch-response";
import type { PolledRecord } from "../../../infra/local/runtime/kafka-lambda-event";
import {
  effectiveRetryAttempts,
  nextStep,
  ON_DEMAND_POLICY,
  retryDelayMs,
} from "../../../infra/local/runtime/retry-policy";
import { readStreamBatchResponse } from "../../../infra/local/runtime/stream-batch-response";

const polled = (partition: number, offset: number): PolledRecord => ({
  record: {
    topic: "t",
    partition,
    offset,
    timestamp: 0,
    timestampType: "CREATE_TIME",
    value: null,
    headers: [],
  },
  value: null,
  bytes: 10,
});

describe("readKafkaBatchResponse", () => {
  const batch = [polled(0, 5), polled(0, 6), polled(0, 7), polled(1, 2), polled(1, 3)];

  it("treats no response, null and an empty list as success", () => {
    // Act & Assess
    for (const response of [
      undefined,
      null,
      {},
      { batchItemFailures: null },
      { batchItemFailures: [] },
    ]) {
      expect(readKafkaBatchResponse(response, batch)).toEqual({ kind: "success" });
    }
  });

  it("retries the lowest failed offset of a partition and every later record of that partition only", () => {
    // Act
    const verdict = readKafkaBatchResponse(
      {
        batchItemFailures: [
          { itemIdentifier: { partition: "t-0", offset: 7 } },
          { itemIdentifier: { partition: "t-0", offset: 6 } },
        ],
      },
      batch,
    );

    // Assess
    expect(verdict.kind).toBe("partial");
    if (verdict.kind !== "partial") return;
    expect(verdict.failed.map(({ record }) => `${record.partition}@${record.offset}`)).toEqual([
      "0@6",
      "0@7",
    ]);
    expect(verdict.succeeded.map(({ record }) => `${record.partition}@${record.offset}`)).toEqual([
      "0@5",
      "1@2",
      "1@3",
    ]);
  });

  it.each([
    ["an offset not in the batch", { partition: "t-0", offset: 99 }],
    ["a partition not in the batch", { partition: "t-9", offset: 5 }],
    ["the older topic-partition key", { "topic-partition": "t-0", offset: 5 }],
    ["an offset as text", { partition: "t-0", offset: "5" }],
    ["no identifier", null],
  ])("fails the whole batch for %s", (_case, itemIdentifier) => {
    // Act & Assess
    expect(readKafkaBatchResponse({ batchItemFailures: [{ itemIdentifier }] }, batch).kind).toBe(
      "invalid",
    );
  });
});

describe("readStreamBatchResponse", () => {
  const sequences = ["100", "200", "300"];

  it("restarts from the lowest reported sequence number", () => {
    // Act & Assess
    expect(
      readStreamBatchResponse(
        { batchItemFailures: [{ itemIdentifier: "300" }, { itemIdentifier: "200" }] },
        sequences,
      ),
    ).toEqual({
      kind: "partial",
      firstFailedIndex: 1,
    });
  });

  it.each([[""], [null], ["999"], [42]])(
    "fails the whole batch for the identifier %j",
    (itemIdentifier) => {
      // Act & Assess
      expect(
        readStreamBatchResponse({ batchItemFailures: [{ itemIdentifier }] }, sequences).kind,
      ).toBe("invalid");
    },
  );
});

describe("nextStep", () => {
  const provisioned = {
    retryAttempts: 2,
    maximumRecordAgeSeconds: 3600,
    bisectBatchOnError: false,
  };

  it("retries until the retry attempts are used, then gives up", () => {
    // Act & Assess
    const failed = { size: 4, oldestAgeSeconds: 1, hasOnFailureDestination: true };
    expect(nextStep(provisioned, { ...failed, attempts: 1 })).toEqual({ kind: "retry" });
    expect(nextStep(provisioned, { ...failed, attempts: 2 })).toEqual({ kind: "retry" });
    expect(nextStep(provisioned, { ...failed, attempts: 3 })).toEqual({
      kind: "give-up",
      condition: "RetryAttemptsExhausted",
    });
  });

  it("gives up on records older than the maximum age", () => {
    // Act & Assess
    expect(
      nextStep(provisioned, {
        attempts: 1,
        size: 1,
        oldestAgeSeconds: 3601,
        hasOnFailureDestination: true,
      }),
    ).toEqual({
      kind: "give-up",
      condition: "RecordAgeExceeded",
    });
  });

  it("bisects a failed batch of several records when asked to", () => {
    // Act & Assess
    const policy = { ...provisioned, bisectBatchOnError: true };
    expect(
      nextStep(policy, {
        attempts: 1,
        size: 4,
        oldestAgeSeconds: 1,
        hasOnFailureDestination: true,
      }),
    ).toEqual({ kind: "bisect" });
    expect(
      nextStep(policy, {
        attempts: 1,
        size: 1,
        oldestAgeSeconds: 1,
        hasOnFailureDestination: true,
      }),
    ).toEqual({ kind: "retry" });
  });

  it("retries on-demand batches forever, and caps infinite retries at 10 with an on-failure destination", () => {
    // Act & Assess
    expect(
      nextStep(ON_DEMAND_POLICY, {
        attempts: 10_000,
        size: 1,
        oldestAgeSeconds: 1e9,
        hasOnFailureDestination: false,
      }),
    ).toEqual({
      kind: "retry",
    });
    expect(effectiveRetryAttempts({ ...ON_DEMAND_POLICY }, true)).toBe(10);
    expect(effectiveRetryAttempts({ ...ON_DEMAND_POLICY }, false)).toBe(-1);
  });

  it("backs off exponentially, capped", () => {
    // Act & Assess
    expect([1, 2, 3, 10].map((attempts) => retryDelayMs(attempts))).toEqual([100, 200, 400, 5000]);
  });
});
