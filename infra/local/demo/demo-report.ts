/**
 * The demo's report: what the run did, and its accounting, as short text for a terminal or
 * as JSON (`--json`; the report is plain data, so `JSON.stringify` is the JSON form).
 *
 * @example
 * ```ts
 * console.log(options.json ? JSON.stringify(report, null, 2) : formatDemoReport(report));
 * ```
 */
import type { DemoAccounting, DemoProblem, ProblemKind } from "./demo-accounting";
import type { SentRecord } from "./demo-observation";

export interface DemoReport {
  readonly runId: string;
  readonly httpBaseUrl: string;
  readonly kafkaBrokers: string;
  readonly topic: string;
  readonly deadLetterTopic: string;
  readonly customers: readonly string[];
  readonly commands: {
    readonly created: number;
    readonly shipped: number;
    readonly cancelled: number;
  };
  readonly malformedSent: readonly SentRecord[];
  /** True when everything was accounted for before the deadline. */
  readonly settled: boolean;
  readonly waitedMs: number;
  readonly accounting: DemoAccounting;
}

export interface FormatOptions {
  /** Orders shown one by one; the rest are summed up. */
  readonly ordersShown?: number;
  /** Problems shown of each kind; the rest are counted. */
  readonly examplesPerProblem?: number;
}

const LABEL_WIDTH = 22;

const line = (label: string, text: string): string => `${label.padEnd(LABEL_WIDTH)}${text}`;

const clip = (text: string, max: number): string =>
  text.length <= max ? text : `${text.slice(0, max - 1)}…`;

const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

const plural = (count: number, one: string, many = `${one}s`): string =>
  `${count} ${count === 1 ? one : many}`;

const consumersSection = (accounting: DemoAccounting): string[] => {
  const nameWidth = Math.max(...accounting.consumers.map((c) => c.functionName.length), 8) + 2;
  const groupWidth = Math.max(...accounting.consumers.map((c) => c.groupId.length), 8) + 2;
  return accounting.consumers.map(
    (consumer) =>
      `  ${consumer.functionName.padEnd(nameWidth)}group ${consumer.groupId.padEnd(groupWidth)}` +
      `${consumer.delivered} delivered, ${consumer.committed}/${accounting.records.total} committed, lag ${consumer.lag}`,
  );
};

const deadLettersSection = (accounting: DemoAccounting): string[] =>
  accounting.deadLetters.map((letter) => {
    const source = `${letter.partition}@${letter.offset}`.padEnd(8);
    const label = (letter.label ?? "").padEnd(36);
    return `  ${source}${label}${letter.functionName}, ${letter.kind}: ${clip(`${letter.errorClass}: ${letter.errorMessage}`, 90)}`;
  });

const readModelSection = (accounting: DemoAccounting, shown: number): string[] => {
  const lines = accounting.orders.slice(0, shown).map((order) => {
    const view =
      order.view === undefined ? "no view" : `${order.view.status} v${order.view.version}`;
    const verdict = order.matches
      ? "as expected"
      : `expected ${order.expected.status} v${order.expected.version}`;
    return `  order ${order.orderId}  ${view.padEnd(14)}${verdict}`;
  });
  const rest = accounting.orders.slice(shown);
  if (rest.length > 0) {
    const wrong = rest.filter((order) => !order.matches).length;
    lines.push(
      `  ... ${plural(rest.length, "more order")}, ${wrong === 0 ? "all as expected" : `${wrong} not as expected`}`,
    );
  }
  for (const customer of accounting.customers) {
    const figures = customer.actual;
    const shownFigures =
      figures === undefined
        ? "no stats"
        : `placed ${figures.orders_placed}, shipped ${figures.orders_shipped}, cancelled ${figures.orders_cancelled}, lifetime value ${describeValues(figures.lifetime_value)}`;
    lines.push(
      `  customer ${customer.customerId}  ${shownFigures}  ${customer.matches ? "exact" : "NOT as expected"}`,
    );
  }
  return lines;
};

/** How the report names each kind of problem, with a hint where the cause is likely. */
const PROBLEM_TITLES: Readonly<Record<ProblemKind, string>> = {
  unread: "records the demo has not read yet",
  "unaccounted-record": "records neither applied nor dead-lettered",
  "not-relayed":
    "events of this run that never reached the topic (is the outbox relay publishing?)",
  "not-dead-lettered": "malformed records missing from the dead-letter topic",
  "order-view": "order views that differ from what the API answered",
  "customer-stats": "customers whose stats are not exact",
  "consumer-lag": "consumer groups short of the end of the topic",
  "on-failure": "records in Lambda's on-failure topic",
};

const problemsSection = (problems: readonly DemoProblem[], examples: number): string[] =>
  [...Map.groupBy(problems, (problem) => problem.kind)].flatMap(([kind, group]) => [
    `  - ${group.length} ${PROBLEM_TITLES[kind]}:`,
    ...group.slice(0, examples).map((problem) => `      ${problem.message}`),
    ...(group.length > examples ? [`      ... and ${group.length - examples} more`] : []),
  ]);

const verdictSection = (report: DemoReport, examples: number): string[] => {
  const { accounting } = report;
  const { applied, deadLettered, unaccounted } = accounting.outcomes;
  if (accounting.allAccounted) {
    return [
      line(
        "All accounted for",
        `YES: ${applied} applied, ${deadLettered} dead-lettered with their reason, 0 unaccounted; every consumer group reached the end of ${report.topic} (settled in ${seconds(report.waitedMs)})`,
      ),
    ];
  }
  return [
    line(
      "All accounted for",
      `NO, after waiting ${seconds(report.waitedMs)}: ${applied} applied, ${deadLettered} dead-lettered, ${unaccounted} unaccounted`,
    ),
    ...problemsSection(accounting.problems, examples),
  ];
};

/** "EUR 12.50, JPY 1000.00", or "none". */
const describeValues = (values: Readonly<Record<string, string>>): string =>
  Object.entries(values)
    .map(([currency, amount]) => `${currency} ${amount}`)
    .join(", ") || "none";

export const formatDemoReport = (report: DemoReport, options: FormatOptions = {}): string => {
  const { accounting } = report;
  const { records } = accounting;
  const duplicates =
    accounting.duplicateEvents === 0
      ? "no duplicates"
      : plural(accounting.duplicateEvents, "duplicate");
  return [
    `Demo run ${report.runId} (HTTP ${report.httpBaseUrl}, Kafka ${report.kafkaBrokers})`,
    "",
    line(
      "Orders over HTTP",
      `${report.commands.created} created, ${report.commands.shipped} shipped, ${report.commands.cancelled} cancelled, for ${plural(report.customers.length, "new customer")}`,
    ),
    line("Malformed records", `${report.malformedSent.length} written straight to ${report.topic}`),
    line(
      report.topic,
      `${plural(records.total, "record")} arrived since the start: ${records.relayed} events relayed from the outbox (${accounting.expectedEvents} expected, ${duplicates}), ${records.malformed} malformed, ${records.other} from elsewhere`,
    ),
    "Consumed per function (committed offsets of each mapping's consumer group):",
    ...consumersSection(accounting),
    line(
      report.deadLetterTopic,
      `${plural(accounting.deadLetters.length, "dead letter")} for this run's records${accounting.otherDeadLetters > 0 ? ` (and ${accounting.otherDeadLetters} others)` : ""}`,
    ),
    ...deadLettersSection(accounting),
    "Read model (GET /orders/{id}/view, GET /customers/{id}/stats):",
    ...readModelSection(accounting, options.ordersShown ?? 6),
    ...(accounting.onFailureRecords > 0
      ? [line("On-failure topic", `${accounting.onFailureRecords} records (retries exhausted)`)]
      : []),
    "",
    ...verdictSection(report, options.examplesPerProblem ?? 3),
  ].join("\n");
};
