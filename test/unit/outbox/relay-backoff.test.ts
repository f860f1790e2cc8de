import { describe, expect, it } from "vitest";
import { exponentialBackoff, RELAY_BACKOFF } from "../../../shared/outbox/relay-backoff";

/** A backoff whose sleeps are recorded instead of waited. */
const recordingBackoff = (settings = { initialMs: 100, maxMs: 1_000, reserveMs: 50 }) => {
  const slept: number[] = [];
  const backoff = exponentialBackoff({
    ...settings,
    sleep: async (ms) => {
      slept.push(ms);
    },
  });
  return { backoff, slept };
};

describe("exponentialBackoff", () => {
  it("doubles its wait after each failure in a row, up to its cap", async () => {
    // Prepare
    const { backoff, slept } = recordingBackoff();

    // Act
    const waited: number[] = [];
    for (let failure = 0; failure < 6; failure += 1) waited.push(await backoff.wait(60_000));

    // Assess
    expect(waited).toEqual([100, 200, 400, 800, 1_000, 1_000]);
    expect(slept).toEqual(waited);
  });

  it("never waits into the invocation's reserve, and not at all when only the reserve is left", async () => {
    // Prepare
    const { backoff, slept } = recordingBackoff();

    // Act
    const bounded = [await backoff.wait(60_000), await backoff.wait(180), await backoff.wait(40)];

    // Assess
    expect(bounded).toEqual([100, 130, 0]);
    expect(slept).toEqual([100, 130]);
  });

  it("starts from the shortest wait again once something went through", async () => {
    // Prepare
    const { backoff } = recordingBackoff();
    await backoff.wait(60_000);
    await backoff.wait(60_000);

    // Act
    backoff.reset();
    const afterReset = await backoff.wait(60_000);

    // Assess
    expect(afterReset).toBe(100);
  });

  it("stays at its cap after any number of failures", async () => {
    // Prepare
    const { backoff } = recordingBackoff();

    // Act
    let last = 0;
    for (let failure = 0; failure < 2_000; failure += 1) last = await backoff.wait(60_000);

    // Assess
    expect(last).toBe(1_000);
  });

  it("fits the relay's failing invocation, its send and its wait, in the function's timeout", () => {
    // Assess: the default send deadline is 20 s, the relay's timeout 60 s
    expect(RELAY_BACKOFF.maxMs + 20_000 + RELAY_BACKOFF.reserveMs).toBeLessThan(60_000);
  });
});
