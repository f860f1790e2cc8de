/**
 * The observer's wait for a starting group coordinator: the protocol errors a broker that has
 * just started answers group requests with are asked again, any other error is not, and the
 * wait is bounded. (`test/integration/dev-tools/lag.test.ts` meets the real thing: a private
 * broker asked for a group's offsets right after it started.)
 */
import { createRequire } from "node:module";
import { KafkaJSNumberOfRetriesExceeded } from "kafkajs";
import { describe, expect, it } from "vitest";
import { whileCoordinatorStarts } from "../../../infra/local/demo/kafka-observer";

/**
 * The error kafkajs makes of a broker's error code, by kafkajs's own table (an internal
 * module of kafkajs 2.2.4, its last release), so the names under test are kafkajs's.
 */
const { createErrorFromCode } = createRequire(import.meta.url)("kafkajs/src/protocol/error") as {
  createErrorFromCode: (code: number) => Error;
};

const GROUP_LOAD_IN_PROGRESS = 14;
const GROUP_COORDINATOR_NOT_AVAILABLE = 15;
const NOT_COORDINATOR_FOR_GROUP = 16;
const GROUP_AUTHORIZATION_FAILED = 30;

/** An answer that fails with each of `errors` in turn, then gives `value`. */
const failingThen = <T>(errors: readonly Error[], value: T) => {
  let calls = 0;
  const ask = async (): Promise<T> => {
    const error = errors[calls];
    calls += 1;
    if (error !== undefined) throw error;
    return value;
  };
  return { ask, calls: () => calls };
};

describe("whileCoordinatorStarts", () => {
  it("asks again while the coordinator loads, is not available or not yet the group's", async () => {
    // Prepare
    const answer = failingThen(
      [
        createErrorFromCode(GROUP_LOAD_IN_PROGRESS),
        createErrorFromCode(GROUP_COORDINATOR_NOT_AVAILABLE),
        createErrorFromCode(NOT_COORDINATOR_FOR_GROUP),
      ],
      "offsets",
    );

    // Act
    const result = await whileCoordinatorStarts(answer.ask);

    // Assess
    expect(result).toBe("offsets");
    expect(answer.calls()).toBe(4);
  });

  it("sees the coordinator's error behind kafkajs's retries-exceeded error", async () => {
    // Prepare
    const exhausted = new KafkaJSNumberOfRetriesExceeded(
      createErrorFromCode(GROUP_LOAD_IN_PROGRESS),
      { retryCount: 1, retryTime: 300 },
    );
    const answer = failingThen([exhausted], "offsets");

    // Act
    const result = await whileCoordinatorStarts(answer.ask);

    // Assess
    expect(result).toBe("offsets");
    expect(answer.calls()).toBe(2);
  });

  it("throws any other error at once", async () => {
    // Prepare
    const unknownGroup = createErrorFromCode(GROUP_AUTHORIZATION_FAILED);
    const answer = failingThen([unknownGroup], "offsets");

    // Act
    const asking = whileCoordinatorStarts(answer.ask);

    // Assess
    await expect(asking).rejects.toBe(unknownGroup);
    expect(answer.calls()).toBe(1);
  });

  it("gives up once the coordinator has had its time", async () => {
    // Prepare
    const loading = createErrorFromCode(GROUP_LOAD_IN_PROGRESS);
    const answer = failingThen(
      Array.from({ length: 50 }, () => loading),
      "offsets",
    );

    // Act
    const asking = whileCoordinatorStarts(answer.ask, 250);

    // Assess: 100 ms, then 200 ms would pass the 250 ms
    await expect(asking).rejects.toBe(loading);
    expect(answer.calls()).toBe(2);
  });
});
