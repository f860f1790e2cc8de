import { describe, expect, it } from "vitest";
import { SetupRun, type SetupStep } from "../../../infra/local/setup-run";

/** A clock that moves only when told: each call returns the next reading. */
const readings = (...values: number[]): (() => number) => {
  const queue = [...values];
  return () => queue.shift() ?? Number.NaN;
};

describe("SetupRun", () => {
  it("runs each step, prefixes its lines with its name and sums up what each one did", async () => {
    // Prepare
    const lines: string[] = [];
    const run = new SetupRun((line) => lines.push(line));
    const jars: SetupStep = {
      name: "kafka jars",
      run: async (log) => {
        log("Kafka jars: installed 40 jars (56 MB)");
        return "installed";
      },
    };
    const python: SetupStep = { name: "python tools", run: async () => "already present" };

    // Act
    await run.step(jars, readings(0, 41_000));
    await run.step(python, readings(41_000, 41_300));

    // Assess
    expect(lines).toEqual(["[kafka jars] Kafka jars: installed 40 jars (56 MB)"]);
    expect(run.summary()).toEqual([
      "Setup done in 41 s:",
      "  kafka jars    installed        41 s",
      "  python tools  already present  0 s",
    ]);
  });

  it("stops at a failing step with its error, keeping what the steps before it did", async () => {
    // Prepare
    const run = new SetupRun(() => {});
    await run.step({ name: "kafka jars", run: async () => "already present" }, readings(0, 10));
    const failing: SetupStep = {
      name: "python tools",
      run: async () => {
        throw new Error("python3 has no venv module");
      },
    };

    // Act
    const outcome = run.step(failing, readings(10, 20));

    // Assess
    await expect(outcome).rejects.toThrow("python3 has no venv module");
    expect(run.summary()).toEqual(["Setup done in 0 s:", "  kafka jars  already present  0 s"]);
  });
});
