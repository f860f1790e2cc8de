/**
 * The processing core of a Kafka consumer: one batch of records in, the partial batch
 * response and a report out.
 *
 * 1. Group the records by key (see `groupByOrderingKey`) and run the groups: one key's
 *    records strictly in offset order, different keys concurrently up to the configured
 *    bound. Once the time budget runs low no record starts.
 * 2. Process each record when its turn comes (`processRecord`): applied, skipped, poison, or
 *    failed, which holds back the later records of its key.
 * 3. Dead-letter the poison in one send, except poison that Lambda will deliver again anyway
 *    (see `planDeadLetters`).
 * 4. Report as not done everything else (failed, held back, not started, poison held back or
 *    not sent): Lambda delivers those records again. See docs/architecture.md, Guarantees.
 */
import type { FailedRecord } from "../dead-letters/types";
import type { KafkaRecord } from "../kafka/kafka-record";
import type { MessageSender } from "../kafka/outgoing-message";
import { errorLogKeys, type Logger } from "../observability/logger";
import { type KafkaBatchResponse, kafkaBatchResponse } from "./batch-item-failure";
import { RESPONSE_RESERVE_MS } from "./constants";
import type { ConsumerSettings } from "./consumer-settings";
import { planDeadLetters } from "./dead-letter-plan";
import { groupByOrderingKey } from "./key-groups";
import { runKeyOrdered } from "./key-ordered-run";
import { processRecord, type RecordContext, type RecordOutcome } from "./process-record";
import { sendDeadLettersWithin } from "./send-dead-letters";
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

/**
 * Dead-letters the poison that Lambda will not deliver again in one send, within the time
 * left. Answers how many letters the broker took, and the records left for Lambda: poison
 * held back behind a failure, and letters not sent.
 */
const deadLetterPoison = async <E>(
  poison: readonly FailedRecord[],
  notDone: readonly KafkaRecord[],
  consumer: BatchConsumer<E>,
  budget: TimeBudget,
): Promise<{ readonly sent: number; readonly left: KafkaRecord[] }> => {
  const { settings, logger } = consumer;
  const plan = planDeadLetters(poison, notDone, settings.mode);
  const { sent, error } = await sendDeadLettersWithin(consumer.deadLetters, plan.now, {
    topic: settings.deadLetterTopic,
    timeoutMs: budget.remainingMs() - RESPONSE_RESERVE_MS,
  });
  const unsent = plan.now.slice(sent);
  if (error !== undefined) {
    logger.error("Dead letters could not be sent; their records are left for Lambda", {
      unsent: unsent.length,
      ...errorLogKeys(error),
    });
  }
  return { sent, left: [...plan.deferred, ...unsent].map(({ record }) => record) };
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
  const now = consumer.now ?? (() => new Date());
  const context: RecordContext<E> = {
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
    logger,
    now,
  };

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
  return {
    response: kafkaBatchResponse(left),
    report: {
      received: records.length,
      applied: totals.applied,
      duplicates: totals.duplicates,
      skipped: totals.skipped,
      deadLettered: deadLetters.sent,
      failed: left.length,
      durationMs: Math.round(performance.now() - started),
    },
  };
};
