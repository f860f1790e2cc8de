import { describe, expect, it } from "vitest";
import { runKeyOrdered } from "../../../shared/consumer/key-ordered-run";
import { delay } from "./fixtures";

interface Item {
  readonly key: string;
  readonly offset: number;
}

const groupsOf = (keys: number, perKey: number): Item[][] =>
  Array.from({ length: keys }, (_, k) =>
    Array.from({ length: perKey }, (_, n) => ({ key: `k${k}`, offset: n * keys + k })),
  );

describe("runKeyOrdered", () => {
  it("runs one group's items one after another, in order, and several groups at once up to the bound", async () => {
    // Prepare: a log of starts and ends in the order they happen
    const log: string[] = [];
    let inFlight = 0;
    let maxInFlight = 0;

    // Act
    await runKeyOrdered(groupsOf(6, 4), {
      concurrency: 4,
      canStart: () => true,
      process: async ({ key, offset }) => {
        log.push(`start ${key} ${offset}`);
        inFlight += 1;
        maxInFlight = Math.max(maxInFlight, inFlight);
        await delay((offset * 5) % 4);
        inFlight -= 1;
        log.push(`end ${key} ${offset}`);
        return true;
      },
    });

    // Assess
    for (const group of groupsOf(6, 4)) {
      const key = group[0]?.key ?? "";
      const ofKey = log.filter((line) => line.split(" ")[1] === key);
      expect(ofKey).toEqual(
        group.flatMap(({ offset }) => [`start ${key} ${offset}`, `end ${key} ${offset}`]),
      );
    }
    expect(maxInFlight).toBe(4);
    // Different keys overlap: some key starts before another key's item ended.
    const firstEnd = log.findIndex((line) => line.startsWith("end"));
    expect(log.slice(0, firstEnd).filter((line) => line.startsWith("start"))).toHaveLength(4);
  });

  it("holds back a group's later items after one fails, and goes on with the other groups", async () => {
    // Prepare
    const processed: number[] = [];

    // Act
    const { blocked, notStarted } = await runKeyOrdered(groupsOf(2, 3), {
      concurrency: 2,
      canStart: () => true,
      process: async ({ offset }) => {
        processed.push(offset);
        return offset !== 0;
      },
    });

    // Assess
    expect(processed.sort((a, b) => a - b)).toEqual([0, 1, 3, 5]);
    expect(blocked.map(({ offset }) => offset)).toEqual([2, 4]);
    expect(notStarted).toEqual([]);
  });

  it("starts nothing once it may not, and returns every item not started", async () => {
    // Prepare: three items may start, then none
    let allowed = 3;

    // Act
    const { notStarted } = await runKeyOrdered(groupsOf(2, 3), {
      concurrency: 1,
      canStart: () => {
        allowed -= 1;
        return allowed >= 0;
      },
      process: async () => true,
    });

    // Assess
    expect(notStarted.map(({ key, offset }) => `${key}@${offset}`)).toEqual([
      "k1@1",
      "k1@3",
      "k1@5",
    ]);
  });

  it("finishes at once without groups", async () => {
    // Assess
    expect(
      await runKeyOrdered([], { concurrency: 8, canStart: () => true, process: async () => true }),
    ).toEqual({ blocked: [], notStarted: [] });
  });
});
