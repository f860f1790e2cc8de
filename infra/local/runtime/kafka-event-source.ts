/**
 * A local Kafka event source mapping (DESIGN §7), faithful to Lambda's rules:
 * - its own consumer group; the starting position applies only while the group has no
 *   committed offsets;
 * - records whose value matches none of the filters are skipped, and their offsets committed;
 * - batches may span partitions, bounded by batch size, batching window and 6 MB;
 * - offsets are committed only after the records before them succeeded (or, in provisioned
 *   mode, went to the on-failure destination);
 * - on-demand mode retries a failed batch until it succeeds; provisioned mode honours retry
 *   attempts, maximum record age, bisect on error, partial batch responses and a Kafka
 *   on-failure topic.
 *
 * @example
 * ```ts
 * const source = createKafkaEventSource({ functionName, trigger, kafka, invoke: host.invoke, ... });
 * await source.start();
 * await source.stop();
 * ```
 */
import { randomUUID } from "node:crypto";
import type { Consumer, Kafka, Producer } from "kafkajs";
import { refuseInvalidMapping } from "../../wiring/mapping-limits";
import type { KafkaTrigger } from "../../wiring/types";
import { kafkaFilterDocument, matchesAnyFilter } from "./filter-patterns";
import type { InvocationOutcome } from "./function-host";
import { interruptibleSleeps } from "./interruptible-sleep";
import { readKafkaBatchResponse } from "./kafka-batch-response";
import { mskEvent, type PolledRecord, toPolledRecord } from "./kafka-lambda-event";
import { nextStep, ON_DEMAND_POLICY, type RetryPolicy, retryDelayMs } from "./retry-policy";

/** Lambda's invocation payload limit. */
export const MAX_PAYLOAD_BYTES = 6 * 1024 * 1024;

export interface KafkaEventSourceOptions {
  readonly functionName: string;
  readonly trigger: KafkaTrigger;
  readonly kafka: Kafka;
  readonly bootstrapServers: string;
  readonly region: string;
  readonly invoke: (event: unknown) => Promise<InvocationOutcome>;
  readonly log: (line: string) => void;
  /** Backoff between retries; tests shorten it. */
  readonly retryDelay?: (attempts: number) => number;
}

export interface KafkaEventSource {
  start(): Promise<void>;
  /** Stops taking records, lets the invocation in flight finish, commits nothing unfinished. */
  stop(): Promise<void>;
}

interface Pending {
  readonly polled: PolledRecord;
  readonly settle: (outcome: "done" | "abandoned") => void;
  settled: boolean;
}

class StoppingError extends Error {
  override readonly name = "StoppingError";
}

export const createKafkaEventSource = (options: KafkaEventSourceOptions): KafkaEventSource => {
  const { trigger, functionName } = options;
  refuseInvalidMapping(trigger);
  const mode = trigger.mode;
  const policy: RetryPolicy = mode.kind === "provisioned" ? mode : ON_DEMAND_POLICY;
  const onFailureTopic = mode.kind === "provisioned" ? mode.onFailureTopic : undefined;
  const partialResponses = mode.kind === "provisioned" && mode.reportBatchItemFailures;
  const eventSourceArn = `arn:aws:kafka:${options.region}:000000000000:cluster/local/${trigger.consumerGroupId}`;
  const delay = options.retryDelay ?? retryDelayMs;

  const queue: Pending[] = [];
  let wake: (() => void) | undefined;
  let stopping = false;
  let consumer: Consumer | undefined;
  let producer: Producer | undefined;
  let loop: Promise<void> | undefined;

  const signal = () => {
    wake?.();
    wake = undefined;
  };
  const waitForWork = (timeoutMs: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, timeoutMs);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  const backoff = interruptibleSleeps();

  // The event around the records counts towards the 6 MB too: its fields, each partition's
  // `"<topic>-<partition>":[...]` and the commas between records.
  const envelopeBytes = Buffer.byteLength(
    JSON.stringify(mskEvent([], { eventSourceArn, bootstrapServers: options.bootstrapServers })),
  );
  const queuedBytes = () => queue.reduce((sum, { polled }) => sum + polled.bytes, 0);

  /** Waits for the batching window (or a full batch), then takes what fits in one event. */
  const nextBatch = async (): Promise<Pending[]> => {
    while (queue.length === 0 && !stopping) await waitForWork(1_000);
    const windowEnds = Date.now() + trigger.maximumBatchingWindowSeconds * 1000;
    while (
      !stopping &&
      queue.length < trigger.batchSize &&
      queuedBytes() < MAX_PAYLOAD_BYTES &&
      Date.now() < windowEnds
    ) {
      await waitForWork(windowEnds - Date.now());
    }
    const batch: Pending[] = [];
    const partitions = new Set<string>();
    let bytes = envelopeBytes;
    while (queue.length > 0 && batch.length < trigger.batchSize) {
      const next = queue[0];
      if (next === undefined) break;
      const { topic, partition } = next.polled.record;
      const group = `${topic}-${partition}`;
      const added =
        next.polled.bytes + 1 + (partitions.has(group) ? 0 : Buffer.byteLength(group) + 6);
      if (batch.length > 0 && bytes + added > MAX_PAYLOAD_BYTES) break;
      bytes += added;
      partitions.add(group);
      batch.push(next);
      queue.shift();
    }
    return batch;
  };

  const sendToOnFailure = async (
    records: readonly Pending[],
    condition: string,
    invokeCount: number,
    lastError: InvocationOutcome | undefined,
  ): Promise<void> => {
    if (onFailureTopic === undefined || producer === undefined) return;
    await producer.send({
      topic: onFailureTopic,
      acks: -1,
      messages: records.map(({ polled }) => ({
        key: polled.record.key == null ? null : Buffer.from(polled.record.key, "base64"),
        value: JSON.stringify({
          version: "1.0",
          timestamp: new Date().toISOString(),
          requestContext: {
            requestId: lastError?.requestId ?? randomUUID(),
            functionArn: `arn:aws:lambda:${options.region}:000000000000:function:${functionName}`,
            condition,
            approximateInvokeCount: invokeCount,
          },
          responseContext: {
            statusCode: 200,
            executedVersion: "$LATEST",
            functionError: lastError?.ok === false ? lastError.error.errorType : undefined,
          },
          payload: mskEvent([polled], {
            eventSourceArn,
            bootstrapServers: options.bootstrapServers,
          }),
        }),
      })),
    });
    options.log(`${functionName}: ${records.length} record(s) to ${onFailureTopic} (${condition})`);
  };

  const ageSeconds = ({ polled }: Pending) => (Date.now() - polled.record.timestamp) / 1000;
  const oldestAgeSeconds = (records: readonly Pending[]) => Math.max(...records.map(ageSeconds));

  /** Invokes until every record of `batch` succeeded or went to the on-failure destination. */
  const deliver = async (batch: readonly Pending[], attemptsSoFar: number): Promise<void> => {
    let records = batch;
    let attempts = attemptsSoFar;
    let last: InvocationOutcome | undefined;
    while (records.length > 0) {
      if (stopping) throw new StoppingError("stopping");
      if (policy.maximumRecordAgeSeconds !== -1) {
        // Records past the maximum age are never sent to the function again.
        const expired = records.filter(
          (pending) => ageSeconds(pending) > policy.maximumRecordAgeSeconds,
        );
        if (expired.length > 0) {
          await sendToOnFailure(expired, "RecordAgeExceeded", attempts, last);
          for (const pending of expired) pending.settle("done");
          records = records.filter((pending) => !expired.includes(pending));
          continue;
        }
      }
      last = await options.invoke(
        mskEvent(
          records.map(({ polled }) => polled),
          { eventSourceArn, bootstrapServers: options.bootstrapServers },
        ),
      );
      attempts += 1;
      let failed: readonly Pending[] = records;
      if (last.ok) {
        const verdict = partialResponses
          ? readKafkaBatchResponse(
              last.value,
              records.map(({ polled }) => polled),
            )
          : ({ kind: "success" } as const);
        if (verdict.kind === "success") {
          for (const pending of records) pending.settle("done");
          return;
        }
        if (verdict.kind === "partial") {
          const failedRecords = new Set(verdict.failed);
          for (const pending of records)
            if (!failedRecords.has(pending.polled)) pending.settle("done");
          failed = records.filter((pending) => failedRecords.has(pending.polled));
        } else {
          options.log(
            `${functionName}: invalid partial batch response, whole batch failed: ${verdict.reason}`,
          );
        }
      } else {
        options.log(
          `${functionName}: invocation failed (${last.error.errorType}: ${last.error.errorMessage})`,
        );
      }
      const step = nextStep(policy, {
        attempts,
        size: failed.length,
        oldestAgeSeconds: oldestAgeSeconds(failed),
        hasOnFailureDestination: onFailureTopic !== undefined,
      });
      if (step.kind === "give-up") {
        await sendToOnFailure(failed, step.condition, attempts, last);
        for (const pending of failed) pending.settle("done");
        return;
      }
      await backoff.sleep(delay(attempts));
      if (step.kind === "bisect") {
        const half = Math.ceil(failed.length / 2);
        await deliver(failed.slice(0, half), attempts);
        await deliver(failed.slice(half), attempts);
        return;
      }
      records = failed;
    }
  };

  /**
   * Per partition, fetched batches commit in fetch order, each once all of its records are
   * done; after a record was abandoned (stopping) nothing more of that partition is committed.
   */
  const commits = new Map<string, Promise<boolean>>();
  const commitWhenSettled = (
    topic: string,
    partition: number,
    nextOffset: number,
    settled: readonly Promise<"done" | "abandoned">[],
  ): void => {
    const key = `${topic}-${partition}`;
    const previous = commits.get(key) ?? Promise.resolve(true);
    commits.set(
      key,
      previous.then(async (committedSoFar) => {
        if (!committedSoFar) return false;
        const outcomes = await Promise.all(settled);
        if (outcomes.includes("abandoned")) return false;
        try {
          await consumer?.commitOffsets([{ topic, partition, offset: String(nextOffset) }]);
        } catch (error) {
          // Commits are cumulative: the partition's next commit covers this one.
          options.log(`${functionName}: committing ${key}@${nextOffset} failed: ${String(error)}`);
        }
        return true;
      }),
    );
  };

  const runLoop = async (): Promise<void> => {
    while (!stopping) {
      const batch = await nextBatch();
      if (batch.length === 0) continue;
      try {
        await deliver(batch, 0);
      } catch (error) {
        if (error instanceof StoppingError) {
          for (const pending of batch) pending.settle("abandoned");
          continue;
        }
        // Not the function's failure (e.g. the on-failure topic refused the records): what is
        // not done yet stays first in line and is tried again, as the broker still holds it.
        options.log(`${functionName}: ${String(error)}`);
        queue.unshift(...batch.filter((pending) => !pending.settled));
        await backoff.sleep(delay(1));
      }
    }
    for (const pending of queue.splice(0)) pending.settle("abandoned");
  };

  return {
    async start() {
      producer = options.kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
      await producer.connect();
      consumer = options.kafka.consumer({ groupId: trigger.consumerGroupId, maxWaitTimeInMs: 250 });
      await consumer.connect();
      await consumer.subscribe({
        topic: trigger.topic,
        fromBeginning: trigger.startingPosition === "TRIM_HORIZON",
      });
      loop = runLoop();
      await consumer.run({
        autoCommit: false,
        eachBatchAutoResolve: false,
        partitionsConsumedConcurrently: 64,
        eachBatch: async ({ batch, heartbeat, resolveOffset }) => {
          const last = batch.messages.at(-1);
          if (last === undefined) return;
          const polled = batch.messages.map((message) =>
            toPolledRecord(batch.topic, batch.partition, message),
          );
          const matched = polled.filter((record) =>
            matchesAnyFilter(trigger.filters, kafkaFilterDocument(record.value)),
          );
          const settled = matched.map(
            (record) =>
              new Promise<"done" | "abandoned">((resolve) => {
                const pending: Pending = {
                  polled: record,
                  settled: false,
                  settle: (outcome) => {
                    pending.settled = true;
                    resolve(outcome);
                  },
                };
                queue.push(pending);
              }),
          );
          signal();
          // Fetching goes on while these records wait for their batch (kafkajs fetches again
          // only once eachBatch returns), so records produced within the batching window join
          // it. Resolving moves the fetch position only; the commit waits for the outcome.
          resolveOffset(last.offset);
          commitWhenSettled(batch.topic, batch.partition, Number(last.offset) + 1, settled);
          // Enough waiting for one full invocation: fetch no more until some of it is taken.
          const beat = setInterval(() => void heartbeat().catch(() => undefined), 3_000);
          try {
            while (
              !stopping &&
              (queue.length >= trigger.batchSize || queuedBytes() >= MAX_PAYLOAD_BYTES)
            ) {
              await backoff.sleep(50);
            }
          } finally {
            clearInterval(beat);
          }
        },
      });
    },
    async stop() {
      stopping = true;
      signal();
      backoff.wakeAll();
      await loop;
      // Commits of what finished, before the consumer leaves (kafkajs drops them after).
      await Promise.all(commits.values());
      await consumer?.disconnect();
      await producer?.disconnect();
    },
  };
};
