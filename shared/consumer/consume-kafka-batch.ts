/**
 * The processing core of a Kafka consumer: one batch of records in, the partial batch
 * response and a report out.
 *
 * 1. Group the records by key (see `groupByOrderingKey`) and run the groups: one key's
 *    records strictly in offset order, different keys concurrently up to the configured
 *    bound. Once the time budget runs low no record starts.
 * 2. Read each record when its turn comes: this function's event, another function's record
 *    (skipped), or poison.
 * 3. Apply each event in its own span, retrying transient failures with backoff within the
 *    time budget. A record that still fails holds back the later records of its key.
 * 4. Dead-letter the poison (undecodable, breaking its contract, or refused by the effect as
 *    a `PermanentError`) in one send, except poison that Lambda will deliver again anyway
 *    (see `planDeadLetters`).
 * 5. Report as not done everything else (failed, held back, not started, poison held back or
 *    not sent): Lambda delivers those records again.
 *
 * @example
 * ```ts
 * const { response, report } = await consumeKafkaBatch(records, () => context.getRemainingTimeInMillis(), {
 *   functionName: "order-created", read, apply, settings, deadLetters: producer, logger,
 * });
 * ```
 */

import type { FailedRecord } from "../dead-letters/types";
import { describeError, isPermanent } from "../errors";
import type { KafkaRecord } from "../kafka/kafka-record";
import type { MessageSender } from "../kafka/outgoing-message";
import type { RecordDecodeError } from "../kafka/record-decode-error";
import type { Logger } from "../observability/logger";
import { recordLogKeys } from "../observability/logger";
import { enterRecordContextForJob, failActiveSpan, withRecordSpan } from "../observability/spans";
import { type KafkaBatchResponse, kafkaBatchResponse } from "./batch-item-failure";
import { RECORD_SPAN_OPERATION, RESPONSE_RESERVE_MS } from "./constants";
import type { ConsumerSettings } from "./consumer-settings";
import { deadLetterKindOf } from "./dead-letter-kind";
import { planDeadLetters } from "./dead-letter-plan";
import { groupByOrderingKey } from "./key-groups";
import { runKeyOrdered } from "./key-ordered-run";
import { attempt, type RetryOptions, retryAfterFailure } from "./retry-backoff";
import { sendDeadLettersWithin } from "./send-dead-letters";
import { timeBudget } from "./time-budget";
import type { ApplyEvent, BatchReport, EffectContext, EffectOutcome, RecordReader } from "./types";

const DONE: Promise<boolean> = Promise.resolve(true);

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

export interface BatchOutcome {
  readonly response: KafkaBatchResponse;
  readonly report: BatchReport;
}

/** How a record's failed attempts went, kept only for records that fail at least once. */
interface FailureTrail {
  attempts: number;
  readonly firstFailureAt: Date;
  lastFailureAt: Date;
}

export const consumeKafkaBatch = async <E>(
  records: readonly KafkaRecord[],
  remainingMs: () => number,
  consumer: BatchConsumer<E>,
): Promise<BatchOutcome> => {
  const started = performance.now();
  const { functionName, settings, logger } = consumer;
  const now = consumer.now ?? (() => new Date());
  const budget = timeBudget(remainingMs, settings.timeMarginMs);

  const poison: FailedRecord[] = [];
  let skipped = 0;
  let applied = 0;
  let duplicates = 0;
  const failed: number[] = [];
  const trails = new Map<number, FailureTrail>();
  const givenUp = (record: KafkaRecord, error: unknown, trail?: FailureTrail): FailedRecord => {
    const at = now();
    return {
      record,
      error,
      kind: deadLetterKindOf(error),
      functionName,
      attempts: trail?.attempts ?? 1,
      firstFailureAt: trail?.firstFailureAt ?? at,
      lastFailureAt: trail?.lastFailureAt ?? at,
    };
  };
  const noteFailure = (index: number) => () => {
    const at = now();
    const trail = trails.get(index);
    if (trail === undefined)
      trails.set(index, { attempts: 1, firstFailureAt: at, lastFailureAt: at });
    else {
      trail.attempts += 1;
      trail.lastFailureAt = at;
    }
  };

  /**
   * Runs a record's work in its span, or as it is when its context is already entered for
   * its job (`enterRecordContextForJob`).
   */
  const inRecordSpan = <T>(entered: boolean, record: KafkaRecord, fn: () => Promise<T>) =>
    entered ? fn() : withRecordSpan(record, RECORD_SPAN_OPERATION, fn);

  const deadLetterPoison = async (
    record: KafkaRecord,
    error: RecordDecodeError,
    entered: boolean,
  ): Promise<void> => {
    poison.push(givenUp(record, error));
    // A span per record, failed, so the producer's trace shows where its record ended.
    try {
      await inRecordSpan(entered, record, async () => {
        const keys = { ...recordLogKeys(record), ...describeError(error) };
        if (error.unexpected) {
          logger.error(
            "Reading the record threw; dead-lettering it (is its contract at fault?)",
            keys,
          );
        } else logger.warn("Record is poison; dead-lettering it", keys);
        throw error;
      });
    } catch {
      // The span is marked failed; the record is already counted as poison.
    }
  };

  const counted = (outcome: EffectOutcome): boolean => {
    if (outcome === "applied") applied += 1;
    else duplicates += 1;
    return true;
  };

  /** The effect of one event, as work to attempt and retry. */
  const effectOf =
    (event: E, context: EffectContext): (() => Promise<EffectOutcome>) =>
    () =>
      consumer.apply(event, context);

  const retryOptions = (index: number): RetryOptions => ({
    policy: settings.retry,
    canWait: budget.canWait,
    onFailure: noteFailure(index),
    sleep: consumer.sleep,
    random: consumer.random,
  });

  /**
   * Settles a record whose effect failed for good: poison when the failure is permanent, else
   * not done (its key's later records are held back). Answers whether its key may go on.
   */
  const settleFailure = (index: number, record: KafkaRecord, error: unknown): boolean => {
    if (isPermanent(error)) {
      poison.push(givenUp(record, error, trails.get(index)));
      return true;
    }
    failed.push(index);
    return false;
  };

  /** {@link settleFailure}, logged and with the record's span failed: in the record's span. */
  const gaveUp = (index: number, record: KafkaRecord, error: unknown): boolean => {
    try {
      failActiveSpan(error);
      logger.warn(
        isPermanent(error)
          ? "Event cannot be applied; dead-lettering it"
          : "Event could not be applied; leaving it for Lambda to deliver again",
        {
          ...recordLogKeys(record),
          ...describeError(error),
          attempts: trails.get(index)?.attempts,
        },
      );
    } catch {
      // Telling of the failure must not lose the record: it is settled all the same, by its
      // own error (a logger that throws would otherwise reject the whole batch).
    }
    return settleFailure(index, record, error);
  };

  /**
   * Applies the event in the record's span, retrying transient failures, and settles the
   * record; answers whether its key's later records may go on, and never rejects. Promise
   * chains, not async functions: this runs for every record, and each async step costs. An
   * effect that succeeds at once (most do) costs one reaction; retrying and giving up happen
   * in reactions to its failure, still in the record's span and context.
   */
  const applyEvent = (
    index: number,
    record: KafkaRecord,
    event: E,
    entered: boolean,
  ): Promise<boolean> => {
    // Closures made per record are passed inline, unnamed: a build that keeps function names
    // (tsx, esbuild's keepNames) names each one as it is made, which costs more than the rest.
    const work = effectOf(event, { record, functionName });
    try {
      return inRecordSpan(entered, record, () =>
        attempt(work).then(counted, (error: unknown) =>
          retryAfterFailure(work, retryOptions(index), error).then(counted, (last: unknown) =>
            gaveUp(index, record, last),
          ),
        ),
      );
    } catch (error) {
      // The span could not start (`process` must not throw): the record fails alone.
      return Promise.resolve(settleFailure(index, record, error));
    }
  };

  // Each record is read when its turn comes, not all up front: its parsed JSON and event are
  // garbage as soon as it is done, instead of living through the whole batch.
  const processRecord = (index: number): Promise<boolean> => {
    const record = records[index] as KafkaRecord;
    // The record's trace context from reading it on, when no span is recorded; else the
    // record's span brings it.
    let entered = false;
    try {
      entered = enterRecordContextForJob(record);
    } catch {
      // Tracing is not set up (`process` must not throw): the record's span throws the same
      // when it starts, which fails the record alone.
    }
    const reading = consumer.read(record);
    if (reading.kind === "event") return applyEvent(index, record, reading.event, entered);
    if (reading.kind === "foreign") {
      skipped += 1;
      return DONE;
    }
    return deadLetterPoison(record, reading.error, entered).then(() => true);
  };

  const { blocked, notStarted } = await runKeyOrdered(groupByOrderingKey(records), {
    concurrency: settings.concurrency,
    canStart: budget.canStart,
    process: processRecord,
  });
  if (notStarted.length > 0) {
    logger.warn("Time ran low; records not started are left for Lambda to deliver again", {
      notStarted: notStarted.length,
      remainingMs: budget.remainingMs(),
    });
  }

  const notDone: KafkaRecord[] = [...failed, ...blocked, ...notStarted].map(
    (index) => records[index] as KafkaRecord,
  );
  const plan = planDeadLetters(poison, notDone, settings.mode);
  const { sent, error: sendError } = await sendDeadLettersWithin(consumer.deadLetters, plan.now, {
    topic: settings.deadLetterTopic,
    timeoutMs: budget.remainingMs() - RESPONSE_RESERVE_MS,
  });
  const unsent = plan.now.slice(sent);
  if (sendError !== undefined) {
    logger.error("Dead letters could not be sent; their records are left for Lambda", {
      unsent: unsent.length,
      ...describeError(sendError),
    });
  }
  for (const { record } of [...plan.deferred, ...unsent]) notDone.push(record);

  return {
    response: kafkaBatchResponse(notDone),
    report: {
      received: records.length,
      applied,
      duplicates,
      skipped,
      deadLettered: sent,
      failed: notDone.length,
      durationMs: Math.round(performance.now() - started),
    },
  };
};
