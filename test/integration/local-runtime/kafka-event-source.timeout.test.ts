/**
 * docs/architecture.md ("Lambda event sources") and docs/local-runtime.md: a function that outlives its declared timeout is a failed invocation of
 * its batch (the sandbox is killed), and the retry cold-starts a new sandbox.
 */

import { describe, it } from "vitest";
import type { LambdaKafkaEvent } from "../../../shared/kafka/lambda-kafka-event";
import {
  deliveredValues,
  fileKafkaFixture,
  kafkaTrigger,
  scriptedFunction,
  startKafkaMapping,
  waitFor,
} from "./harness";

const kafka = fileKafkaFixture();

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe.concurrent("local MSK event source mapping: timeouts (docs/architecture.md, docs/local-runtime.md)", () => {
  it("Kafka — a function that outlives its timeout is a failed invocation; the next one cold-starts a new sandbox", async (ctx) => {
    const { expect } = ctx;
    // Prepare: a 1 s timeout; the first invocation sleeps 3 s, the next ones succeed
    const topic = await kafka.topic(1);
    await kafka.produce(topic, [{ value: "slow-0" }, { value: "slow-1" }]);
    const fn = scriptedFunction(ctx, {
      timeoutSeconds: 1,
      script: {
        action: "sequence",
        steps: [{ action: "sleep", ms: 3_000 }, { action: "succeed" }],
      },
    });
    const trigger = kafkaTrigger(topic);

    // Act
    await startKafkaMapping(ctx, fn, trigger);
    await waitFor(
      "every offset committed",
      async () => (await kafka.committed(trigger.consumerGroupId, topic)).get(0) === 2,
    );

    // Assess
    const [timedOut, retried] = fn.invocations<LambdaKafkaEvent>();
    expect(fn.outcomes.map((outcome) => outcome.ok)).toEqual([false, true]);
    expect(fn.outcomes[0]).toMatchObject({
      ok: false,
      error: { errorType: "Sandbox.Timedout", errorMessage: "Task timed out after 1.00 seconds" },
    });
    expect(deliveredValues(fn)).toEqual([
      ["slow-0", "slow-1"],
      ["slow-0", "slow-1"],
    ]);
    expect(timedOut?.remainingMs).toBeLessThanOrEqual(1_000);
    expect(timedOut?.remainingMs).toBeGreaterThan(0);
    expect(retried?.pid).not.toBe(timedOut?.pid);
    expect(isAlive(timedOut?.pid ?? 0)).toBe(false);
  });
});
