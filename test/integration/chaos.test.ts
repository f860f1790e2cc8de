/**
 * The short chaos run (`npm run chaos -- --short`): the whole local system of its own
 * (private moto and Kafka broker, every function, every mapping) under a small load over
 * HTTP, through the fault injector, with each fault kind at least once: conflicting and
 * throttled DynamoDB writes, Produce responses held past the request timeout, the broker
 * killed and started again. Then every record is accounted for: each accepted command's
 * event applied once (views at the API's last answer, exact stats per currency), each
 * malformed record dead-lettered with its reason, nothing in the on-failure topic, every
 * consumer group at the end, no record failed more often than its trigger's retry settings
 * allow. The relay's duplicates are counted, and may be any number.
 */
import { rm } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it, onTestFinished } from "vitest";
import { readServiceSettings } from "../../infra/local/services/service-settings";
import { SHORT_CHAOS } from "../chaos/chaos-options";
import { formatChaosReport } from "../chaos/chaos-report";
import { runChaos } from "../chaos/chaos-run";

/** A bound on a run that hangs, far above the 1.5 minutes it takes: never an assertion. */
const HANG_BOUND_MS = 8 * 60_000;

describe("the system under chaos", () => {
  it(
    "loses nothing and applies nothing twice through conflicts, throttling, a slow and a killed broker",
    async () => {
      // Prepare
      const stateDir = join(
        readServiceSettings(process.env).stateDir,
        "chaos",
        `test-${Date.now().toString(36)}`,
      );
      let passed = false;
      onTestFinished(async () => {
        // A failed run's logs stay for a look; a passed one's go.
        if (passed) await rm(stateDir, { recursive: true, force: true });
      });

      // Act
      const report = await runChaos({ json: false, ...SHORT_CHAOS }, { say: () => {}, stateDir });
      console.log(formatChaosReport(report));

      // Assess: every fault kind happened
      const injected = Object.fromEntries(
        report.phases.map((phase) => [phase.kind, phase.injected]),
      );
      expect(injected).toEqual({
        conflicts: expect.any(Number),
        "broker-kill": 1,
        throttling: expect.any(Number),
        "slow-broker": SHORT_CHAOS.delays,
      });
      expect(injected.conflicts).toBeGreaterThan(0);
      expect(injected.throttling).toBeGreaterThan(0);
      // Assess: every order accepted and accounted for, once
      const { demo, chaos, load } = report;
      expect(load.accepted).toBe(SHORT_CHAOS.orders);
      expect(demo.accounting.problems).toEqual([]);
      expect(demo.accounting.missingEvents).toEqual([]);
      expect(demo.accounting.orders.every((order) => order.matches)).toBe(true);
      expect(demo.accounting.customers.every((customer) => customer.matches)).toBe(true);
      expect(chaos.currencies.map((total) => [total.currency, total.matches])).toEqual([
        ["EUR", true],
        ["USD", true],
      ]);
      expect(chaos.eventsDeadLettered).toEqual([]);
      expect(demo.accounting.onFailureRecords).toBe(0);
      // The five malformed records, each with its reason.
      expect(demo.accounting.deadLetters.map((letter) => letter.label).sort()).toEqual(
        demo.malformedSent.map((sent) => sent.label).sort(),
      );
      expect(demo.accounting.deadLetters.every((letter) => letter.errorMessage !== "")).toBe(true);
      // Within the retry settings, and counted.
      expect(chaos.invocations.map((fn) => fn.overLimit)).toEqual(chaos.invocations.map(() => 0));
      expect(chaos.duplicates.records).toBeGreaterThanOrEqual(0);
      expect(chaos.problems).toEqual([]);
      expect(report.passed).toBe(true);
      passed = true;
    },
    HANG_BOUND_MS,
  );
});
