import { describe, expect, it } from "vitest";
import { backoffDelayMs, retryTransient } from "../../../shared/consumer/retry-backoff";
import { PermanentError, TransientError } from "../../../shared/errors";

class Flaky extends TransientError {}
class Broken extends PermanentError {}

const policy = { attempts: 4, baseDelayMs: 100, maxDelayMs: 300 };

/** A clock that moves on by one second at each look, from the epoch. */
const ticking = () => {
  let seconds = 0;
  return () => new Date(seconds++ * 1_000);
};

describe("backoffDelayMs", () => {
  it("draws a delay up to base x 2^(n-1), capped at the maximum (full jitter)", () => {
    // Assess
    expect([1, 2, 3, 4].map((n) => backoffDelayMs(n, policy, () => 0.999))).toEqual([
      99, 199, 299, 299,
    ]);
    expect([1, 2, 3].map((n) => backoffDelayMs(n, policy, () => 0))).toEqual([0, 0, 0]);
    expect(backoffDelayMs(2, policy, () => 0.5)).toBe(100);
  });
});

describe("retryTransient", () => {
  it("retries transient failures with backoff until the work succeeds", async () => {
    // Prepare
    const waits: number[] = [];
    let calls = 0;

    // Act
    const result = await retryTransient(
      async () => {
        calls += 1;
        if (calls < 3) throw new Flaky("throttled");
        return "done";
      },
      {
        policy,
        canWait: () => true,
        sleep: async (ms) => waits.push(ms),
        random: () => 0.5,
      },
    );

    // Assess
    expect(result).toEqual({ ok: true, value: "done" });
    expect(calls).toBe(3);
    expect(waits).toEqual([50, 100]);
  });

  it("retries work that throws before returning a promise like work that rejects", async () => {
    // Prepare: not an async function, so its failures are synchronous throws
    let calls = 0;
    const work = (): Promise<string> => {
      calls += 1;
      if (calls < 3) throw new Flaky(`attempt ${calls}`);
      return Promise.resolve("done");
    };

    // Act
    const result = await retryTransient(work, {
      policy,
      canWait: () => true,
      sleep: async () => undefined,
    });

    // Assess
    expect(result).toEqual({ ok: true, value: "done" });
    expect(calls).toBe(3);
  });

  it("gives up after the last attempt with the last error and the trail of its failures", async () => {
    // Prepare
    let calls = 0;

    // Act
    const result = await retryTransient(
      async () => {
        calls += 1;
        throw new Flaky(`attempt ${calls}`);
      },
      { policy, canWait: () => true, sleep: async () => undefined, now: ticking() },
    );

    // Assess
    expect(calls).toBe(4);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toBeInstanceOf(Flaky);
    expect((result.error as Error).message).toBe("attempt 4");
    expect(result.trail).toEqual({
      attempts: 4,
      firstFailureAt: new Date(0),
      lastFailureAt: new Date(3_000),
    });
  });

  it("never retries a permanent error", async () => {
    // Prepare
    let calls = 0;

    // Act
    const result = await retryTransient(
      async () => {
        calls += 1;
        throw new Broken("rule");
      },
      { policy, canWait: () => true, sleep: async () => undefined, now: ticking() },
    );

    // Assess
    expect(calls).toBe(1);
    expect(result).toEqual({
      ok: false,
      error: expect.any(Broken),
      trail: { attempts: 1, firstFailureAt: new Date(0), lastFailureAt: new Date(0) },
    });
  });

  it("does not wait longer than the time budget allows", async () => {
    // Prepare
    let calls = 0;
    const asked: number[] = [];

    // Act
    const result = await retryTransient(
      async () => {
        calls += 1;
        throw new Flaky("down");
      },
      {
        policy,
        canWait: (ms) => {
          asked.push(ms);
          return false;
        },
        sleep: async () => undefined,
        random: () => 0.5,
      },
    );

    // Assess
    expect(result).toMatchObject({ ok: false, error: expect.any(Flaky), trail: { attempts: 1 } });
    expect(calls).toBe(1);
    expect(asked).toEqual([50]);
  });
});
