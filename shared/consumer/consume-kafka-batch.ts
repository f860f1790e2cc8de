/**
 * The processing core of a Kafka consumer: one batch of records in, the partial batch
 * response and a report out.
 *
 * 1. Group the records by key (see `groupByOrderingKey`) and run the groups: one key's
 *    records strictly in offset order, different keys concurrently up to the configured
 *    bound. Once the time budget runs low no record starts.
 * 2. Process each record when its turn comes (`processRecord`): applied, skipped, poison, or
 *    failed, which holds back the later records of its key.
 *    A transient failure of a record older than the age bound is poison too
 *    (`transient-exhausted`).
 * 3. Dead-letter the poison in one send, except poison that Lambda will deliver again anyway
 *    (see `planDeadLetters`); a letter the topic refuses for what it is goes reduced.
 * 4. Report as not done everything else (failed, held back, not started, poison held back or
 *    not sent): Lambda delivers those records again, once the invocation has lasted the
 *    configured floor. See docs/architecture.md, Guarantees.
 */
import { setTimeout as sleepFor } from "node:timers/promises";
import type { DeadLetterKind } from "../dead-letters/constants";
import type { FailedRecord } from "../dead-letters/types";
import type { KafkaRecord } from "../kafka/kafka-record";
import type { MessageSender } from "../kafka/outgoing-message";
import type { Logger } from "../observability/logger";
import { type KafkaBatchResponse, kafkaBatchResponse } from "./batch-item-failure";
import { RESPONSE_RESERVE_MS } from "./constants";
import type { ConsumerSettings } from "./consumer-settings";
import { planDeadLetters } from "./dead-letter-plan";
import { deliverDeadLetters } from "./deliver-dead-letters";
import { groupByOrderingKey } from "./key-groups";
import { runKeyOrdered } from "./key-ordered-run";
import { processRecord, type RecordContext, type RecordOutcome } from "./process-record";
import { type TimeBudget, timeBudget } from "./time-budget";
import type { ApplyEvent, BatchReport, RecordReader } from "./types";

/**
 * Everything {@link consumeKafkaBatch} works with: how to read and apply records, the
 * settings, where dead letters go and what logs; `now`, `sleep` and `random` are for tests.
 *
 * @example
 * ```ts
 * const consumer: BatchConsumer<OrderEvent> = {
 *   functionName: "order-created", read, apply, settings, deadLetters: producer, logger,
 * };
 * ```
 */
export interface BatchConsumer<E> {
  readonly functionName: string;
  readonly read: RecordReader<E>;
  readonly apply: ApplyEvent<E>;
  readonly settings: ConsumerSettings;
  /** Sends dead letters: the shared producer. */
  readonly deadLetters: MessageSender;
  readonly logger: Logger;
  readonly now?: () => Date;
  readonly sleep?: (delayMs: number) => Promise<unknown>;
  readonly random?: () => number;
}

/**
 * What one batch came to: the response for Lambda and the report for logs and metrics.
 *
 * @example
 * ```ts
 * const { response, report } = await consumeKafkaBatch(records, remainingMs, consumer);
 * ```
 */
export interface BatchOutcome {
  readonly response: KafkaBatchResponse;
  readonly report: BatchReport;
}

interface Totals {
  applied: number;
  duplicates: number;
  skipped: number;
  readonly poison: FailedRecord[];
  readonly failed: KafkaRecord[];
}

const totalOf = (outcomes: ReadonlyMap<KafkaRecord, RecordOutcome>): Totals => {
  const totals: Totals = { applied: 0, duplicates: 0, skipped: 0, poison: [], failed: [] };
  for (const [record, outcome] of outcomes) {
    switch (outcome.status) {
      case "applied":
        totals.applied += 1;
        break;
      case "duplicate":
        totals.duplicates += 1;
        break;
      case "skipped":
        totals.skipped += 1;
        break;
      case "poison":
        totals.poison.push(outcome.failed);
        break;
      case "failed":
        totals.failed.push(record);
        break;
    }
  }
  return totals;
};

/** What the dead-lettering of a batch came to. */
interface DeadLettering {
  /** Letters the broker took, reduced ones included. */
  readonly sent: readonly FailedRecord[];
  readonly reduced: number;
  /** Poison held back behind a failure, and letters not sent. */
  readonly left: KafkaRecord[];
}

/**
 * Dead-letters the poison that Lambda will not deliver again in one send, within the time
 * left (see `deliverDeadLetters`). Answers the letters the broker took, and the records left
 * for Lambda: poison held back behind a failure, and letters not sent.
 */
const deadLetterPoison = async <E>(
  poison: readonly FailedRecord[],
  notDone: readonly KafkaRecord[],
  consumer: BatchConsumer<E>,
  budget: TimeBudget,
): Promise<DeadLettering> => {
  const { settings, logger } = consumer;
  const plan = planDeadLetters(poison, notDone, settings.mode);
  const delivery = await deliverDeadLetters(plan.now, {
    sender: consumer.deadLetters,
    topic: settings.deadLetterTopic,
    timeoutMs: () => budget.remainingMs() - RESPONSE_RESERVE_MS,
    logger,
  });
  return {
    sent: delivery.sent,
    reduced: delivery.reduced.length,
    left: [...plan.deferred, ...delivery.unsent].map(({ record }) => record),
  };
};

/**
 * Before an invocation that leaves records for Lambda answers, waits until it has lasted
 * `failedBatchMinMs`, within the time left: Lambda may retry at once, and its retry attempts
 * must last longer than the consumer's age bound (see `consumerBoundsOf`). Returns the wait.
 */
const holdFailedBatch = async <E>(
  left: number,
  elapsedMs: number,
  consumer: BatchConsumer<E>,
  budget: TimeBudget,
): Promise<number> => {
  const { failedBatchMinMs } = consumer.settings;
  if (left === 0 || failedBatchMinMs <= elapsedMs) return 0;
  const waitMs = Math.ceil(
    Math.min(failedBatchMinMs - elapsedMs, budget.remainingMs() - RESPONSE_RESERVE_MS),
  );
  if (waitMs <= 0) return 0;
  await (consumer.sleep ?? sleepFor)(waitMs);
  return waitMs;
};

const countOf = (letters: readonly FailedRecord[], kind: DeadLetterKind): number =>
  letters.filter((letter) => letter.kind === kind).length;

/** What every record of the batch is processed with: the consumer's parts and the budget. */
const recordContextOf = <E>(consumer: BatchConsumer<E>, budget: TimeBudget): RecordContext<E> => {
  const { settings } = consumer;
  const now = consumer.now ?? (() => new Date());
  return {
    functionName: consumer.functionName,
    read: consumer.read,
    apply: consumer.apply,
    retry: {
      policy: settings.retry,
      canWait: budget.canWait,
      now,
      sleep: consumer.sleep,
      random: consumer.random,
    },
    transientMaxAgeSeconds: settings.transientMaxAgeSeconds,
    logger: consumer.logger,
    now,
  };
};

/** What was done with the batch's records, and what came of its dead letters. */
interface Settled {
  readonly totals: Totals;
  readonly deadLetters: DeadLettering;
  readonly left: readonly KafkaRecord[];
  readonly waitedMs: number;
}

const reportOf = (received: number, settled: Settled, started: number): BatchReport => {
  const { totals, deadLetters } = settled;
  return {
    received,
    applied: totals.applied,
    duplicates: totals.duplicates,
    skipped: totals.skipped,
    deadLettered: deadLetters.sent.length,
    transientExhausted: countOf(deadLetters.sent, "transient-exhausted"),
    deadLettersReduced: deadLetters.reduced,
    failed: settled.left.length,
    waitedMs: settled.waitedMs,
    durationMs: Math.round(performance.now() - started),
  };
};

/**
 * Consumes one batch: every record processed in key order within the time budget, poison
 * dead-lettered, and the records not done named in the response.
 *
 * @example
 * ```ts
 * const { response, report } = await consumeKafkaBatch(records, () => context.getRemainingTimeInMillis(), {
 *   functionName: "order-created", read, apply, settings, deadLetters: producer, logger,
 * });
 * ```
 */
export const consumeKafkaBatch = async <E>(
  records: readonly KafkaRecord[],
  remainingMs: () => number,
  consumer: BatchConsumer<E>,
): Promise<BatchOutcome> => {
  const started = performance.now();
  const { settings, logger } = consumer;
  const budget = timeBudget(remainingMs, settings.timeMarginMs);
  const context = recordContextOf(consumer, budget);
  const outcomes = new Map<KafkaRecord, RecordOutcome>();
  const { blocked, notStarted } = await runKeyOrdered(groupByOrderingKey(records), {
    concurrency: settings.concurrency,
    canStart: budget.canStart,
    process: async (index) => {
      const record = records[index] as KafkaRecord;
      const outcome = await processRecord(record, context);
      outcomes.set(record, outcome);
      return outcome.status !== "failed";
    },
  });
  if (notStarted.length > 0) {
    logger.warn("Time ran low; records not started are left for Lambda to deliver again", {
      notStarted: notStarted.length,
      remainingMs: budget.remainingMs(),
    });
  }

  const totals = totalOf(outcomes);
  const notDone = [
    ...totals.failed,
    ...[...blocked, ...notStarted].map((index) => records[index] as KafkaRecord),
  ];
  const deadLetters = await deadLetterPoison(totals.poison, notDone, consumer, budget);
  const left = [...notDone, ...deadLetters.left];
  const elapsedMs = performance.now() - started;
  const waitedMs = await holdFailedBatch(left.length, elapsedMs, consumer, budget);
  return {
    response: kafkaBatchResponse(left),
    report: reportOf(records.length, { totals, deadLetters, left, waitedMs }, started),
  };
};
