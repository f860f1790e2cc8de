/**
 * The chaos run's verdict, judged purely: the demo's accounting of every record
 * (`accountForDemo`: each applied or dead-lettered with its reason, every event of the API's
 * answers relayed, views and stats exact, every consumer group at the end, nothing in the
 * on-failure topic), and on top of it what chaos adds:
 *
 * - no event of an accepted command was dead-lettered: under transient faults alone each of
 *   them must end applied (exact stats then prove exactly once);
 * - the stats' lifetime values summed per currency over the run's customers, expected and
 *   shown;
 * - the relay's duplicates: records repeating an `event_id` of the run's orders;
 * - the invocations per record, within the trigger's retry settings;
 * - every fault of the schedule injected something, and every command got its answer.
 *
 * @example
 * ```ts
 * const chaos = accountForChaos({ demo: accountForDemo(observation), records, orders, ... });
 * chaos.passed; // false when anything is lost, applied twice or unaccounted
 * ```
 */
import type { DemoAccounting } from "../../infra/local/demo/demo-accounting";
import type { ApiOrder } from "../../infra/local/demo/read-model-views";
import { eventIdentityOf } from "../../infra/local/demo/record-outcomes";
import type { DeadLetterAccount } from "../../infra/local/demo/run-dead-letters";
import { moneyEquals, sumMoney } from "../../shared/events";
import type { KafkaRecord } from "../../shared/kafka/kafka-record";
import type { PhaseResult } from "./chaos-faults";
import type { FaultPhase } from "./chaos-schedule";
import type { FunctionInvocations } from "./invocation-counts";

export interface CurrencyTotal {
  readonly currency: string;
  readonly expected: string;
  readonly actual: string;
  readonly matches: boolean;
}

export interface RelayDuplicates {
  /** Records repeating an `event_id` seen before. */
  readonly records: number;
  /** Events published more than once. */
  readonly events: number;
  /** The most copies of one event. */
  readonly maxCopies: number;
}

export interface ChaosAccounting {
  readonly duplicates: RelayDuplicates;
  /** Dead letters of events of the run's orders (not of the malformed records). */
  readonly eventsDeadLettered: readonly DeadLetterAccount[];
  readonly currencies: readonly CurrencyTotal[];
  readonly invocations: readonly FunctionInvocations[];
  /** Everything not as it must be: the demo's problems first, then the chaos run's. */
  readonly problems: readonly string[];
  readonly passed: boolean;
}

export interface ChaosAccountingInput {
  readonly demo: DemoAccounting;
  /** The topic's records of the run. */
  readonly records: readonly KafkaRecord[];
  readonly orders: readonly ApiOrder[];
  readonly invocations: readonly FunctionInvocations[];
  readonly schedule: readonly FaultPhase[];
  readonly phases: readonly PhaseResult[];
  /** Commands whose outcome stayed unknown, one line each. */
  readonly unresolved: readonly string[];
}

export const relayDuplicates = (
  records: readonly KafkaRecord[],
  orders: readonly ApiOrder[],
): RelayDuplicates => {
  const ours = new Set(orders.map((order) => order.order_id));
  const copies = new Map<string, number>();
  for (const record of records) {
    const event = eventIdentityOf(record.value);
    if (event === undefined || !ours.has(event.aggregate_id)) continue;
    copies.set(event.event_id, (copies.get(event.event_id) ?? 0) + 1);
  }
  const repeated = [...copies.values()].filter((count) => count > 1);
  return {
    records: repeated.reduce((sum, count) => sum + count - 1, 0),
    events: repeated.length,
    maxCopies: Math.max(0, ...copies.values()),
  };
};

/** Each currency's lifetime value over the customers, as the API implies and as shown. */
export const currencyTotals = (demo: DemoAccounting): CurrencyTotal[] => {
  const currencies = new Set(
    demo.customers.flatMap((customer) => [
      ...Object.keys(customer.expected.lifetime_value),
      ...Object.keys(customer.actual?.lifetime_value ?? {}),
    ]),
  );
  return [...currencies].sort().map((currency) => {
    const expected = sumMoney(
      demo.customers.map((customer) => customer.expected.lifetime_value[currency] ?? "0"),
    );
    const actual = sumMoney(
      demo.customers.map((customer) => customer.actual?.lifetime_value[currency] ?? "0"),
    );
    return { currency, expected, actual, matches: moneyEquals(expected, actual) };
  });
};

export const accountForChaos = (input: ChaosAccountingInput): ChaosAccounting => {
  const { demo } = input;
  const eventsDeadLettered = demo.deadLetters.filter((letter) => letter.label === undefined);
  const currencies = currencyTotals(demo);
  const ran = new Set(input.phases.map((phase) => phase.kind));
  const problems = [
    ...demo.problems.map((problem) => `${problem.kind}: ${problem.message}`),
    ...eventsDeadLettered.map(
      (letter) =>
        `dead-lettered event: ${letter.partition}@${letter.offset} by ${letter.functionName}, ${letter.kind}: ${letter.errorClass}: ${letter.errorMessage}`,
    ),
    ...currencies
      .filter((total) => !total.matches)
      .map(
        (total) =>
          `currency ${total.currency}: lifetime values sum to ${total.actual}, expected ${total.expected}`,
      ),
    ...input.invocations
      .filter((fn) => fn.overLimit > 0)
      .map(
        (fn) =>
          `${fn.functionName}: ${fn.overLimit} records failed in more invocations than its retry settings allow (${fn.allowedFailuresPerRecord})`,
      ),
    ...input.schedule
      .filter((phase) => !ran.has(phase.kind))
      .map((phase) => `fault ${phase.kind} never ran`),
    ...input.phases.flatMap((phase) =>
      Object.entries(phase.byTarget)
        .filter(([, count]) => count === 0)
        .map(([target]) => `fault ${phase.kind} hit no ${target}: ${phase.details}`),
    ),
    ...input.unresolved.map((line) => `unanswered command: ${line}`),
  ];
  return {
    duplicates: relayDuplicates(input.records, input.orders),
    eventsDeadLettered,
    currencies,
    invocations: input.invocations,
    problems,
    passed: problems.length === 0,
  };
};
