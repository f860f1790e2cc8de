/**
 * Whether every record of a demo run is accounted for, judged purely from a
 * {@link DemoObservation}. It is when
 *
 * - each record that entered the topic during the run is applied (its order's view reached
 *   its version) or dead-lettered (a dead letter names its partition and offset);
 * - each event the API's answers imply reached the topic (relayed from the outbox);
 * - each malformed record the demo wrote is dead-lettered, with its reason;
 * - each order's view and each customer's stats are exactly what the API's answers imply;
 * - no record went to Lambda's on-failure topic (retries exhausted);
 * - each mapping's consumer group committed up to the end of every partition.
 *
 * @example
 * ```ts
 * const accounting = accountForDemo(observation);
 * if (!accounting.allAccounted) console.log(accounting.problems.join("\n"));
 * ```
 */
import { type ConsumerProgress, consumerProgress } from "./consumer-progress";
import { type DemoObservation, recordAt } from "./demo-observation";
import { type CustomerAccount, type OrderAccount, readModelChecks } from "./read-model-checks";
import { recordOutcomes } from "./record-outcomes";
import { type DeadLetterAccount, deadLettersOfRun } from "./run-dead-letters";

/** What kind of thing is not accounted for; the report groups problems by it. */
export type ProblemKind =
  | "unread"
  | "unaccounted-record"
  | "not-relayed"
  | "not-dead-lettered"
  | "order-view"
  | "customer-stats"
  | "consumer-lag"
  | "on-failure";

export interface DemoProblem {
  readonly kind: ProblemKind;
  readonly message: string;
}

export interface DemoAccounting {
  readonly records: {
    readonly total: number;
    /** Events of the run's orders (duplicates included), relayed from the outbox. */
    readonly relayed: number;
    readonly malformed: number;
    /** Records neither of the run's orders nor written by the demo: someone else's. */
    readonly other: number;
  };
  readonly expectedEvents: number;
  readonly missingEvents: readonly string[];
  readonly duplicateEvents: number;
  readonly outcomes: {
    readonly applied: number;
    readonly deadLettered: number;
    readonly unaccounted: number;
  };
  readonly consumers: readonly ConsumerProgress[];
  readonly deadLetters: readonly DeadLetterAccount[];
  readonly otherDeadLetters: number;
  readonly onFailureRecords: number;
  readonly orders: readonly OrderAccount[];
  readonly customers: readonly CustomerAccount[];
  /** In a fixed order of kinds: unread, records, relay, dead letters, read model, consumers. */
  readonly problems: readonly DemoProblem[];
  readonly allAccounted: boolean;
}

export const accountForDemo = (observation: DemoObservation): DemoAccounting => {
  const deadLetters = deadLettersOfRun(observation);
  const outcomes = recordOutcomes(observation, deadLetters.bySource);
  const readModel = readModelChecks(observation);
  const consumers = observation.mappings.map((mapping) => consumerProgress(mapping, observation));

  const { topic, deadLetterTopic, onFailureTopic } = observation;
  const problemsOf = (kind: ProblemKind, messages: readonly string[]): DemoProblem[] =>
    messages.map((message) => ({ kind, message }));
  const problems = [
    ...problemsOf(
      "unread",
      observation.unreadRecords > 0
        ? [`${observation.unreadRecords} records of ${topic} are not read by the demo yet`]
        : [],
    ),
    ...problemsOf("unaccounted-record", outcomes.unaccounted),
    ...problemsOf(
      "not-relayed",
      outcomes.missingEvents.map((name) => `event ${name} has not reached ${topic}`),
    ),
    ...problemsOf(
      "not-dead-lettered",
      observation.malformed
        .filter((sent) => !deadLetters.bySource.has(recordAt(sent.partition, sent.offset)))
        .map(
          (sent) =>
            `malformed record "${sent.label}" (${recordAt(sent.partition, sent.offset)}) is not in ${deadLetterTopic}`,
        ),
    ),
    ...problemsOf("order-view", readModel.viewProblems),
    ...problemsOf("customer-stats", readModel.statsProblems),
    ...problemsOf(
      "consumer-lag",
      consumers
        .filter((consumer) => consumer.lag > 0)
        .map(
          (consumer) =>
            `${consumer.functionName} (group ${consumer.groupId}) has ${consumer.lag} records of ${topic} left to consume`,
        ),
    ),
    ...problemsOf(
      "on-failure",
      observation.onFailureRecords > 0
        ? [
            `${observation.onFailureRecords} records exhausted their retries and went to ${onFailureTopic}`,
          ]
        : [],
    ),
  ];

  return {
    records: {
      total: observation.records.length,
      relayed: outcomes.relayed,
      malformed: outcomes.malformed,
      other: observation.records.length - outcomes.relayed - outcomes.malformed,
    },
    expectedEvents: outcomes.expectedEvents.length,
    missingEvents: outcomes.missingEvents,
    duplicateEvents: outcomes.duplicateEvents,
    outcomes: {
      applied: outcomes.applied,
      deadLettered: outcomes.deadLettered,
      unaccounted: outcomes.unaccounted.length,
    },
    consumers,
    deadLetters: [...deadLetters.bySource.values()].sort(
      (a, b) => a.partition - b.partition || a.offset - b.offset,
    ),
    otherDeadLetters: deadLetters.other,
    onFailureRecords: observation.onFailureRecords,
    orders: readModel.orders,
    customers: readModel.customers,
    problems,
    allAccounted: problems.length === 0,
  };
};
