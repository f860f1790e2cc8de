/**
 * How a local stream mapping delivers one batch of a shard: it invokes the function until the
 * batch succeeded or went to the on-failure bucket, and says how many of its records are done
 * (always a prefix: in a shard, order is kept). Records past the maximum record age are the
 * oldest, so a prefix, and are never sent to the function; a partial batch response makes
 * the records before the lowest reported sequence number done; the rest is retried, bisected
 * or given up on as the trigger says, with a backoff between attempts. See
 * `docs/architecture.md`, section "Lambda event sources".
 *
 * @example
 * ```ts
 * const delivery = new StreamBatchDelivery({ trigger, invoke, onFailure, sleep, retryDelay, isStopping, log });
 * const done = await delivery.deliver(shardId, records); // checkpoint after records[done - 1]
 * ```
 */
import type { DynamoDBRecord } from "aws-lambda";
import type { StreamTrigger } from "../../wiring/types";
import { recordAgeSeconds, sequenceNumberOf } from "./dynamodb-stream-record";
import type { InvocationOutcome } from "./function-host";
import { nextStep } from "./retry-policy";
import { readStreamBatchResponse } from "./stream-batch-response";
import type { StreamOnFailureBucket } from "./stream-on-failure-bucket";

/** What a delivery needs of its mapping. */
export interface StreamBatchDeliveryOptions {
  /** Its retry policy, partial batch responses and maximum record age. */
  readonly trigger: StreamTrigger;
  readonly invoke: (event: unknown) => Promise<InvocationOutcome>;
  readonly onFailure: StreamOnFailureBucket;
  /** The mapping's backoff, which stopping cuts short. */
  readonly sleep: (ms: number) => Promise<void>;
  readonly retryDelay: (attempts: number) => number;
  readonly isStopping: () => boolean;
  readonly log: (line: string) => void;
}

/** Delivers batches of the shards of one mapping. */
export class StreamBatchDelivery {
  readonly #options: StreamBatchDeliveryOptions;

  constructor(options: StreamBatchDeliveryOptions) {
    this.#options = options;
  }

  /**
   * Invokes until the batch succeeded or gave up; returns how many records of `batch` are
   * done (a prefix), so the caller checkpoints exactly there. Stops early when stopping.
   */
  async deliver(
    shardId: string,
    batch: readonly DynamoDBRecord[],
    attemptsSoFar = 0,
  ): Promise<number> {
    const { trigger, onFailure } = this.#options;
    let records = batch;
    let done = 0;
    let attempts = attemptsSoFar;
    while (records.length > 0 && !this.#options.isStopping()) {
      const expired = this.#expiredPrefix(records);
      if (expired > 0) {
        const old = records.slice(0, expired);
        await onFailure.send(shardId, old, "RecordAgeExceeded", attempts, undefined);
        done += expired;
        records = records.slice(expired);
        continue;
      }
      const last = await this.#options.invoke({ Records: records });
      attempts += 1;
      const failedFrom = this.#firstFailed(records, last);
      if (failedFrom === undefined) return done + records.length;
      done += failedFrom;
      records = records.slice(failedFrom);
      const step = nextStep(trigger, {
        attempts,
        size: records.length,
        oldestAgeSeconds: records[0] === undefined ? 0 : recordAgeSeconds(records[0]),
        hasOnFailureDestination: true,
      });
      if (step.kind === "give-up") {
        await onFailure.send(shardId, records, step.condition, attempts, last);
        return done + records.length;
      }
      await this.#options.sleep(this.#options.retryDelay(attempts));
      if (step.kind === "bisect") return done + (await this.#bisect(shardId, records, attempts));
    }
    return done;
  }

  /** How many records at the head are past the maximum record age. */
  #expiredPrefix(records: readonly DynamoDBRecord[]): number {
    const { maximumRecordAgeSeconds } = this.#options.trigger;
    if (maximumRecordAgeSeconds === -1) return 0;
    const fresh = records.findIndex(
      (record) => recordAgeSeconds(record) <= maximumRecordAgeSeconds,
    );
    return fresh === -1 ? records.length : fresh;
  }

  /** The index of the first record the invocation failed, or undefined when all succeeded. */
  #firstFailed(records: readonly DynamoDBRecord[], outcome: InvocationOutcome): number | undefined {
    if (!outcome.ok) {
      const { errorType, errorMessage } = outcome.error;
      this.#options.log(`invocation failed (${errorType}: ${errorMessage})`);
      return 0;
    }
    const verdict = this.#options.trigger.reportBatchItemFailures
      ? readStreamBatchResponse(outcome.value, records.map(sequenceNumberOf))
      : ({ kind: "success" } as const);
    if (verdict.kind === "success") return undefined;
    if (verdict.kind === "partial") return verdict.firstFailedIndex;
    this.#options.log(`invalid partial batch response, whole batch failed: ${verdict.reason}`);
    return 0;
  }

  /** Delivers each half on its own; the second only once the first is all done. */
  async #bisect(
    shardId: string,
    records: readonly DynamoDBRecord[],
    attempts: number,
  ): Promise<number> {
    const half = Math.ceil(records.length / 2);
    const first = await this.deliver(shardId, records.slice(0, half), attempts);
    if (first < half) return first;
    return half + (await this.deliver(shardId, records.slice(half), attempts));
  }
}
