import { describe, expect, it } from "vitest";
import { planDeadLetters } from "../../../shared/consumer/dead-letter-plan";

const at = (partition: number, offset: number, topic = "t") => ({ topic, partition, offset });
const poisonAt = (partition: number, offset: number) => ({ record: at(partition, offset) });
const offsetsOf = (entries: readonly { record: { partition: number; offset: number } }[]) =>
  entries.map(({ record }) => `${record.partition}@${record.offset}`);

describe("planDeadLetters", () => {
  it("sends every poison record when the whole batch is done", () => {
    // Act
    const plan = planDeadLetters([poisonAt(0, 1), poisonAt(1, 4)], [], "on-demand");

    // Assess
    expect(offsetsOf(plan.now)).toEqual(["0@1", "1@4"]);
    expect(plan.deferred).toEqual([]);
  });

  it("holds back poison behind its partition's lowest failure in provisioned mode", () => {
    // Prepare: partition 0 fails at 5 and 9; partition 1 is fine; topic u fails at 0
    const poison = [poisonAt(0, 3), poisonAt(0, 6), poisonAt(0, 12), poisonAt(1, 7)];
    const notDone = [at(0, 9), at(0, 5), at(0, 0, "u")];

    // Act
    const plan = planDeadLetters(poison, notDone, "provisioned");

    // Assess
    expect(offsetsOf(plan.now)).toEqual(["0@3", "1@7"]);
    expect(offsetsOf(plan.deferred)).toEqual(["0@6", "0@12"]);
  });

  it("holds back all poison in on-demand mode when anything is not done", () => {
    // Act
    const plan = planDeadLetters([poisonAt(1, 0)], [at(0, 9)], "on-demand");

    // Assess
    expect(plan.now).toEqual([]);
    expect(offsetsOf(plan.deferred)).toEqual(["1@0"]);
  });
});
