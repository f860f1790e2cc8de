/**
 * The chaos run's report as short text: the faults as run and what each injected, the
 * load, the demo's accounting of every record (records, consumers, dead letters, read
 * model), then the chaos run's own counts (relay duplicates, invocations per record, totals
 * per currency) and the verdict. `--json` prints the report itself.
 *
 * @example
 * ```ts
 * console.log(formatChaosReport(report));
 * ```
 */
import { formatDemoReport } from "../../infra/local/demo/demo-report";
import type { ChaosReport } from "./chaos-run";

const LABEL_WIDTH = 22;

const line = (label: string, text: string): string => `${label.padEnd(LABEL_WIDTH)}${text}`;

const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

const EXAMPLES = 5;

const faultsSection = (report: ChaosReport): string[] => [
  "Faults (from the start of the load):",
  ...report.phases.map(
    (phase) =>
      `  ${phase.kind.padEnd(12)}${seconds(phase.startedMs).padStart(8)} to ${seconds(phase.endedMs).padStart(8)}  ${phase.details}`,
  ),
  `  conflict mode (whole run): ${report.dynamoCounts.conflictsInjected} writes met a transaction in progress on one of their items and were answered as DynamoDB does`,
  `  DynamoDB proxy: ${report.dynamoCounts.requests} requests, ${report.dynamoCounts.forwarded} forwarded to moto; Kafka proxy: ${report.kafkaCounts.connections} connections, ${report.kafkaCounts.delayedResponses} responses held`,
];

const invocationsSection = (report: ChaosReport): string[] => [
  "Invocations per record (by each trigger):",
  ...report.chaos.invocations.map((fn) => {
    const allowed =
      fn.allowedFailuresPerRecord === -1 ? "unlimited" : String(fn.allowedFailuresPerRecord);
    return (
      `  ${fn.functionName.padEnd(17)}${fn.invocations} invocations (${fn.failedInvocations} failed) over ${fn.records} records; ` +
      `${fn.recordsInvokedMoreThanOnce} carried more than once, at most ${fn.maxPerRecord}; ` +
      `a record failed in at most ${fn.maxFailuresPerRecord} (allowed ${allowed}); ${fn.redeliveredAfterSuccess} deliveries of records already done`
    );
  }),
];

export const formatChaosReport = (report: ChaosReport): string => {
  const { chaos, load, durationsMs } = report;
  const { duplicates } = chaos;
  // The demo's report, without its title line (this report has its own).
  const demo = formatDemoReport(report.demo, { ordersShown: 3, examplesPerProblem: EXAMPLES })
    .split("\n")
    .slice(2);
  const verdict = chaos.passed
    ? `PASSED: nothing lost, nothing applied twice, every record accounted for`
    : `FAILED: ${chaos.problems.length} problems`;
  return [
    `Chaos run ${report.runId} (logs in ${report.stateDir}/logs)`,
    "",
    ...faultsSection(report),
    line(
      "Load over HTTP",
      `${load.accepted} of ${load.planned} orders accepted (${load.shipped} shipped, ${load.cancelled} cancelled) by ${report.options.clients} clients; ${load.commandErrors} commands without their answer, ${load.resolvedLater} orders asked again or read back after the faults`,
    ),
    ...load.errorExamples.map((example) => `  e.g. ${example}`),
    ...demo,
    "",
    line(
      "Relay duplicates",
      duplicates.records === 0
        ? "none: every event published once"
        : `${duplicates.records} records repeat an event_id (${duplicates.events} events published more than once, at most ${duplicates.maxCopies} copies); each applied once`,
    ),
    ...invocationsSection(report),
    line(
      "Lifetime value",
      chaos.currencies
        .map(
          (total) =>
            `${total.currency} ${total.actual} (expected ${total.expected}${total.matches ? ", exact" : ", NOT exact"})`,
        )
        .join("; "),
    ),
    line(
      "Events dead-lettered",
      chaos.eventsDeadLettered.length === 0
        ? "none of the accepted commands' events"
        : `${chaos.eventsDeadLettered.length} of the accepted commands' events`,
    ),
    line(
      "Time",
      `start ${seconds(durationsMs.start)}, load ${seconds(durationsMs.load)}, settle ${seconds(durationsMs.settle)}, total ${seconds(durationsMs.total)}`,
    ),
    ...(report.stopErrors.length > 0 ? [line("Stopping", report.stopErrors.join("; "))] : []),
    "",
    line("Verdict", verdict),
    ...chaos.problems.slice(0, 3 * EXAMPLES).map((problem) => `  - ${problem}`),
    ...(chaos.problems.length > 3 * EXAMPLES
      ? [`  ... and ${chaos.problems.length - 3 * EXAMPLES} more`]
      : []),
  ].join("\n");
};
