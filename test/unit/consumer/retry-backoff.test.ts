import { describe, expect, it } from "vitest";
import {
  attempt,
  backoffDelayMs,
  type RetryOptions,
  retryAfterFailure,
} from "../../../shared/consumer";
import { PermanentError, TransientError } from "../../../shared/errors";

class Flaky extends TransientError {}
class Broken extends PermanentError {}

const policy = { attempts: 4, baseDelayMs: 100, maxDelayMs: 300 };

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

/** `work`, retried after a failed first attempt: as the consumer runs an effect. */
const retried = <T>(work: () => Promise<T>, options: RetryOptions): Promise<T> =>
  attempt(work).catch((error: unknown) => retryAfterFailure(work, options, error));

describe("attempt, then retryAfterFailure", () => {
  it("retries transient failures with backoff until the work succeeds", async () => {
    // Prepare
    const waits: number[] = [];
    const failures: number[] = [];
    let calls = 0;

    // Act
    const result = await retried(
      async () => {
        calls += 1;
        if (calls < 3) throw new Flaky("throttled");
        return "done";
      },
      {
        policy,
        canWait: () => true,
        onFailure: (_error, attempt) => failures.push(attempt),
        sleep: async (ms) => waits.push(ms),
        random: () => 0.5,
      },
    );

    // Assess
    expect(result).toBe("done");
    expect(failures).toEqual([1, 2]);
    expect(waits).toEqual([50, 100]);
  });

  it("retries work that throws before returning a promise like work that rejects", async () => {
    // Prepare: not an async function, so its first failure is a synchronous throw
    const failures: number[] = [];
    let calls = 0;
    const work = (): Promise<string> => {
      calls += 1;
      if (calls < 3) throw new Flaky(`attempt ${calls}`);
      return Promise.resolve("done");
    };

    // Act
    const result = await retried(work, {
      policy,
      canWait: () => true,
      onFailure: (_error, attempt) => failures.push(attempt),
      sleep: async () => undefined,
    });

    // Assess
    expect(result).toBe("done");
    expect(failures).toEqual([1, 2]);
  });

  it("gives up after the last attempt and rethrows the last error", async () => {
    // Prepare
    let calls = 0;

    // Act
    const attempt = retried(
      async () => {
        calls += 1;
        throw new Flaky(`attempt ${calls}`);
      },
      { policy, canWait: () => true, sleep: async () => undefined },
    );

    // Assess
    await expect(attempt).rejects.toThrow("attempt 4");
    expect(calls).toBe(4);
  });

  it("never retries a permanent error", async () => {
    // Prepare
    let calls = 0;

    // Act
    const attempt = retried(
      async () => {
        calls += 1;
        throw new Broken("rule");
      },
      { policy, canWait: () => true, sleep: async () => undefined },
    );

    // Assess
    await expect(attempt).rejects.toBeInstanceOf(Broken);
    expect(calls).toBe(1);
  });

  it("does not wait longer than the time budget allows", async () => {
    // Prepare
    let calls = 0;
    const asked: number[] = [];

    // Act
    const attempt = retried(
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
    await expect(attempt).rejects.toBeInstanceOf(Flaky);
    expect(calls).toBe(1);
    expect(asked).toEqual([50]);
  });
});
