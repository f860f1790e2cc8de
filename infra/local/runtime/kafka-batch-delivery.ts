/**
 * How a local Kafka mapping delivers one batch: it invokes the function until every record
 * succeeded or went to the on-failure destination. Records past the maximum record age are
 * never sent to the function again; a failed invocation (or, with partial batch responses,
 * the records it reports) is retried, bisected or given up on as the retry policy says, with
 * a backoff between attempts. On-demand mappings retry the whole batch until it succeeds.
 * See `docs/architecture.md`, section "Lambda event sources".
 *
 * @example
 * ```ts
 * const delivery = new KafkaBatchDelivery({ policy, partialResponses: false, source, invoke, onFailure: undefined, sleep, retryDelay, isStopping, log });
 * await delivery.deliver(batch); // every record settled "done", or StoppingError
 * ```
 */
import type { InvocationOutcome } from "./function-host";
import { readKafkaBatchResponse } from "./kafka-batch-response";
import { type MskEventSource, mskEvent, type PolledRecord } from "./kafka-lambda-event";
import type { KafkaOnFailureTopic } from "./kafka-on-failure-topic";
import type { PendingRecord } from "./kafka-record-queue";
import type { OnFailureCondition } from "./on-failure-invocation-record";
import { nextStep, type RetryPolicy } from "./retry-policy";

/** Thrown by a delivery cut short because the mapping stops; its records are unfinished. */
export class StoppingError extends Error {
  override readonly name = "StoppingError";
}

/** What a delivery needs of its mapping. */
export interface KafkaBatchDeliveryOptions {
  readonly policy: RetryPolicy;
  /** Whether the function reports failed records (`ReportBatchItemFailures`). */
  readonly partialResponses: boolean;
  readonly source: MskEventSource;
  readonly invoke: (event: unknown) => Promise<InvocationOutcome>;
  readonly onFailure: KafkaOnFailureTopic | undefined;
  /** The mapping's backoff, which stopping cuts short. */
  readonly sleep: (ms: number) => Promise<void>;
  readonly retryDelay: (attempts: number) => number;
  readonly isStopping: () => boolean;
  readonly log: (line: string) => void;
}

const polledOf = (records: readonly PendingRecord[]): PolledRecord[] =>
  records.map(({ polled }) => polled);

const ageSeconds = ({ polled }: PendingRecord): number =>
  (Date.now() - polled.record.timestamp) / 1000;

/** Delivers batches of one mapping, one at a time. */
export class KafkaBatchDelivery {
  readonly #options: KafkaBatchDeliveryOptions;

  constructor(options: KafkaBatchDeliveryOptions) {
    this.#options = options;
  }

  /**
   * Invokes until every record of `batch` succeeded or went to the on-failure destination,
   * settling each "done" as it is; throws {@link StoppingError} when the mapping stops first.
   */
  async deliver(batch: readonly PendingRecord[], attemptsSoFar = 0): Promise<void> {
    const { policy, onFailure } = this.#options;
    let records = batch;
    let attempts = attemptsSoFar;
    let last: InvocationOutcome | undefined;
    while (records.length > 0) {
      if (this.#options.isStopping()) throw new StoppingError("stopping");
      const expired = this.#expired(records);
      if (expired.length > 0) {
        await this.#giveUp(expired, "RecordAgeExceeded", attempts, last);
        records = records.filter((pending) => !expired.includes(pending));
        continue;
      }
      last = await this.#options.invoke(mskEvent(polledOf(records), this.#options.source));
      attempts += 1;
      const failed = this.#settleSucceeded(records, last);
      if (failed === undefined) return;
      const step = nextStep(policy, {
        attempts,
        size: failed.length,
        oldestAgeSeconds: Math.max(...failed.map(ageSeconds)),
        hasOnFailureDestination: onFailure !== undefined,
      });
      if (step.kind === "give-up") return this.#giveUp(failed, step.condition, attempts, last);
      await this.#options.sleep(this.#options.retryDelay(attempts));
      if (step.kind === "bisect") return this.#bisect(failed, attempts);
      records = failed;
    }
  }

  /** Records past the maximum record age, which are never sent to the function again. */
  #expired(records: readonly PendingRecord[]): readonly PendingRecord[] {
    const { maximumRecordAgeSeconds } = this.#options.policy;
    if (maximumRecordAgeSeconds === -1) return [];
    return records.filter((pending) => ageSeconds(pending) > maximumRecordAgeSeconds);
  }

  /**
   * Settles the records the invocation handled; returns the failed ones, or undefined when
   * all of them succeeded.
   */
  #settleSucceeded(
    records: readonly PendingRecord[],
    outcome: InvocationOutcome,
  ): readonly PendingRecord[] | undefined {
    if (!outcome.ok) {
      const { errorType, errorMessage } = outcome.error;
      this.#options.log(`invocation failed (${errorType}: ${errorMessage})`);
      return records;
    }
    const verdict = this.#options.partialResponses
      ? readKafkaBatchResponse(outcome.value, polledOf(records))
      : ({ kind: "success" } as const);
    if (verdict.kind === "success") {
      for (const pending of records) pending.settle("done");
      return undefined;
    }
    if (verdict.kind === "invalid") {
      this.#options.log(`invalid partial batch response, whole batch failed: ${verdict.reason}`);
      return records;
    }
    const failedRecords = new Set(verdict.failed);
    for (const pending of records) if (!failedRecords.has(pending.polled)) pending.settle("done");
    return records.filter((pending) => failedRecords.has(pending.polled));
  }

  /** Sends the records to the on-failure destination (if any); they are done either way. */
  async #giveUp(
    records: readonly PendingRecord[],
    condition: OnFailureCondition,
    attempts: number,
    last: InvocationOutcome | undefined,
  ): Promise<void> {
    await this.#options.onFailure?.send(polledOf(records), condition, attempts, last);
    for (const pending of records) pending.settle("done");
  }

  /** Delivers each half on its own, the first half first. */
  async #bisect(records: readonly PendingRecord[], attempts: number): Promise<void> {
    const half = Math.ceil(records.length / 2);
    await this.deliver(records.slice(0, half), attempts);
    await this.deliver(records.slice(half), attempts);
  }
}
