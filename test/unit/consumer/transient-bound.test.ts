import { describe, expect, it } from "vitest";
import {
  consumerBoundsEnvironment,
  consumerBoundsOf,
  isPastTransientBound,
  recordAgeMs,
} from "../../../shared/consumer";

const at = (iso: string) => new Date(iso);
const stamped = (iso: string) => ({ timestamp: Date.parse(iso) });

describe("isPastTransientBound", () => {
  it("keeps a record younger than the bound, or exactly at it, for Lambda", () => {
    // Prepare
    const now = at("2026-12-01T05:00:00.000Z");

    // Assess
    expect(isPastTransientBound(stamped("2026-12-01T00:00:01.000Z"), now, 5 * 3600)).toBe(false);
    expect(isPastTransientBound(stamped("2026-12-01T00:00:00.000Z"), now, 5 * 3600)).toBe(false);
  });

  it("gives up a record older than the bound", () => {
    // Assess
    expect(
      isPastTransientBound(
        stamped("2026-11-30T23:59:59.999Z"),
        at("2026-12-01T05:00:00.000Z"),
        5 * 3600,
      ),
    ).toBe(true);
  });

  it("waits out a timestamp ahead of the clock (a producer's clock running fast)", () => {
    // Assess
    expect(
      isPastTransientBound(stamped("2026-12-01T06:00:00.000Z"), at("2026-12-01T05:00:00.000Z"), 60),
    ).toBe(false);
  });

  it("counts a record without a timestamp (-1) as past the bound: nothing else would end it", () => {
    // Assess
    expect(recordAgeMs({ timestamp: -1 }, at("2026-12-01T05:00:00.000Z"))).toBeUndefined();
    expect(isPastTransientBound({ timestamp: -1 }, at("2026-12-01T05:00:00.000Z"), 3600)).toBe(
      true,
    );
  });
});

describe("consumerBoundsOf", () => {
  it("puts a provisioned consumer's bound at five sixths of the record age, and floors a failed invocation so 10,000 retries outlast it", () => {
    // Act
    const bounds = consumerBoundsOf({
      kind: "provisioned",
      retryAttempts: 10_000,
      maximumRecordAgeSeconds: 6 * 3600,
    });

    // Assess: 5 h; 10,000 retries x 2.16 s = 6 h, the record age
    expect(bounds).toEqual({ transientMaxAgeSeconds: 5 * 3600, failedBatchMinMs: 2_160 });
    expect(10_000 * bounds.failedBatchMinMs).toBeGreaterThanOrEqual(6 * 3600 * 1000);
  });

  it("gives an on-demand consumer 5 h, far below a 7-day retention, and no floor", () => {
    // Assess
    expect(consumerBoundsOf({ kind: "on-demand" })).toEqual({
      transientMaxAgeSeconds: 5 * 3600,
      failedBatchMinMs: 0,
    });
    expect(consumerBoundsEnvironment({ kind: "on-demand" })).toEqual({
      CONSUMER_TRANSIENT_MAX_AGE_SECONDS: "18000",
      CONSUMER_FAILED_BATCH_MIN_MS: "0",
    });
  });

  it("reckons with -1 becoming 10 retries beside an on-failure topic, and with no record age", () => {
    // Act
    const capped = consumerBoundsOf({
      kind: "provisioned",
      retryAttempts: -1,
      maximumRecordAgeSeconds: 6 * 3600,
    });
    const ageless = consumerBoundsOf({
      kind: "provisioned",
      retryAttempts: 10_000,
      maximumRecordAgeSeconds: -1,
    });

    // Assess: 10 retries cannot last 6 h within a minute's floor, which is all it may be
    expect(capped).toEqual({ transientMaxAgeSeconds: 5 * 3600, failedBatchMinMs: 60_000 });
    expect(ageless).toEqual({ transientMaxAgeSeconds: 5 * 3600, failedBatchMinMs: 2_160 });
  });
});
