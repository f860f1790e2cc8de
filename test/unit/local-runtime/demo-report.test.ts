import { describe, expect, it } from "vitest";
import { accountForDemo } from "../../../infra/local/demo/demo-accounting";
import { type DemoReport, formatDemoReport } from "../../../infra/local/demo/demo-report";
import { settledObservation, stats } from "./demo-fixtures";

const reportOf = (observation = settledObservation(), waitedMs = 2_300): DemoReport => {
  const accounting = accountForDemo(observation);
  return {
    runId: "demo-run1",
    httpBaseUrl: "http://127.0.0.1:3000",
    kafkaBrokers: "127.0.0.1:9092",
    topic: "order-events",
    deadLetterTopic: "order-events.dlq",
    customers: ["cus-1", "cus-2"],
    commands: { created: 3, shipped: 1, cancelled: 1 },
    malformedSent: observation.malformed,
    settled: accounting.allAccounted,
    waitedMs,
    accounting,
  };
};

describe("formatDemoReport", () => {
  it("reports orders, relayed events, consumption per function, dead letters, the read model and a YES", () => {
    // Act
    const text = formatDemoReport(reportOf());

    // Assess
    expect(text).toContain("Demo run demo-run1 (HTTP http://127.0.0.1:3000, Kafka 127.0.0.1:9092)");
    expect(text).toMatch(
      /Orders over HTTP\s+3 created, 1 shipped, 1 cancelled, for 2 new customers/,
    );
    expect(text).toMatch(
      /order-events\s+7 records arrived since the start: 5 events relayed from the outbox \(5 expected, no duplicates\), 2 malformed, 0 from elsewhere/,
    );
    expect(text).toMatch(
      /order-created\s+group order-created-v1\s+3 delivered, 7\/7 committed, lag 0/,
    );
    expect(text).toMatch(
      /order-events.dlq\s+2 dead letters for this run's records \(and 2 others\)/,
    );
    expect(text).toMatch(
      /3@2\s+not JSON\s+unrouted-events, undecodable: SyntaxError: Value is not JSON/,
    );
    expect(text).toMatch(/order o-1\s+SHIPPED v2\s+as expected/);
    expect(text).toMatch(
      /customer cus-1\s+placed 2, shipped 1, cancelled 1, lifetime value EUR 10\s+exact/,
    );
    expect(text).toMatch(
      /All accounted for\s+YES: 5 applied, 2 dead-lettered with their reason, 0 unaccounted; every consumer group reached the end of order-events \(settled in 2.3 s\)/,
    );
  });

  it("says NO and groups the problems by kind, with a few examples each", () => {
    // Prepare
    const observation = settledObservation();
    const missing = new Map(stats);
    missing.clear();

    // Act
    const text = formatDemoReport(
      reportOf({ ...observation, stats: missing, deadLetters: [] }, 60_000),
      { examplesPerProblem: 1 },
    );

    // Assess
    expect(text).toMatch(
      /All accounted for\s+NO, after waiting 60.0 s: 5 applied, 0 dead-lettered, 2 unaccounted/,
    );
    expect(text).toContain("  - 2 records neither applied nor dead-lettered:");
    expect(text).toContain(
      "      order-events 3@2 (not JSON) is neither applied nor in order-events.dlq: the demo wrote it malformed, so it belongs there",
    );
    expect(text).toContain("      ... and 1 more");
    expect(text).toContain("  - 2 malformed records missing from the dead-letter topic:");
    expect(text).toContain("  - 2 customers whose stats are not exact:");
    expect(text).toMatch(/customer cus-1\s+no stats\s+NOT as expected/);
  });

  it("sums up the orders beyond the ones it shows", () => {
    // Act
    const text = formatDemoReport(reportOf(), { ordersShown: 1 });

    // Assess
    expect(text).toContain("... 2 more orders, all as expected");
    expect(text).not.toContain("order o-2");
  });

  it("is plain data, so its JSON form round-trips", () => {
    // Prepare
    const report = reportOf();

    // Act
    const json = JSON.parse(JSON.stringify(report));

    // Assess
    expect(json).toEqual(report);
  });
});
