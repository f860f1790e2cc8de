/**
 * A local DynamoDB Streams event source mapping (DESIGN §7): every shard, parents before
 * their children, one batch in flight per shard (parallelization factor 1); batches bounded
 * by batch size and batching window; filters on the Lambda record; partial batch responses
 * checkpoint just before the lowest failed sequence number and retry from it; retry
 * attempts, maximum record age and bisect on error; records that give up go to the S3
 * on-failure destination with the invocation payload. Checkpoints survive restarts.
 *
 * @example
 * ```ts
 * const source = createStreamEventSource({ functionName, trigger, streamArn, streams, s3, ... });
 * await source.start();
 * ```
 */
import { randomUUID } from "node:crypto";
import {
  DescribeStreamCommand,
  type DynamoDBStreamsClient,
  ExpiredIteratorException,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type Shard,
} from "@aws-sdk/client-dynamodb-streams";
import { PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import type { DynamoDBRecord } from "aws-lambda";
import { refuseInvalidMapping } from "../../wiring/mapping-limits";
import type { StreamTrigger } from "../../wiring/types";
import { toLambdaStreamRecord } from "../aws/dynamodb-stream-event";
import { matchesAnyFilter } from "./filter-patterns";
import type { InvocationOutcome } from "./function-host";
import { interruptibleSleeps } from "./interruptible-sleep";
import { nextStep, retryDelayMs } from "./retry-policy";
import { readStreamBatchResponse } from "./stream-batch-response";
import { SHARD_END, type StreamCheckpoints } from "./stream-checkpoints";

export interface StreamEventSourceOptions {
  readonly functionName: string;
  readonly trigger: StreamTrigger;
  readonly streamArn: string;
  readonly streams: DynamoDBStreamsClient;
  readonly s3: S3Client;
  /** Physical name of the on-failure bucket. */
  readonly onFailureBucket: string;
  readonly region: string;
  readonly checkpoints: StreamCheckpoints;
  readonly invoke: (event: unknown) => Promise<InvocationOutcome>;
  readonly log: (line: string) => void;
  readonly pollIntervalMs?: number;
  readonly retryDelay?: (attempts: number) => number;
}

export interface StreamEventSource {
  start(): Promise<void>;
  /** Stops polling; the invocation in flight finishes and is checkpointed if it succeeded. */
  stop(): Promise<void>;
}

/** Positions belong to the mapping (function and stream), as Lambda keeps them per mapping. */
export const mappingPosition = (functionName: string, streamArn: string): string =>
  `${functionName} ${streamArn}`;

const sequenceOf = (record: DynamoDBRecord): string => record.dynamodb?.SequenceNumber ?? "";

const ageSeconds = (record: DynamoDBRecord): number =>
  Date.now() / 1000 - (record.dynamodb?.ApproximateCreationDateTime ?? Date.now() / 1000);

export const createStreamEventSource = (options: StreamEventSourceOptions): StreamEventSource => {
  const { trigger, functionName, streamArn } = options;
  refuseInvalidMapping(trigger);
  const pollInterval = options.pollIntervalMs ?? 250;
  const delay = options.retryDelay ?? retryDelayMs;
  const mappingId = randomUUID();
  const running = new Map<string, Promise<void>>();
  let stopping = false;
  let discovery: Promise<void> | undefined;
  const { sleep, wakeAll } = interruptibleSleeps();

  const describeShards = async (): Promise<Shard[]> => {
    const shards: Shard[] = [];
    let start: string | undefined;
    do {
      const page = await options.streams.send(
        new DescribeStreamCommand({ StreamArn: streamArn, ExclusiveStartShardId: start }),
      );
      shards.push(...(page.StreamDescription?.Shards ?? []));
      start = page.StreamDescription?.LastEvaluatedShardId;
    } while (start !== undefined);
    return shards;
  };

  const position = mappingPosition(functionName, streamArn);
  /** Shards with a parent begin at their start: the parent was read to its end. */
  const childShards = new Set<string>();

  const iteratorFor = async (shardId: string): Promise<string | undefined> => {
    const checkpoint = options.checkpoints.get(position, shardId);
    const result = await options.streams.send(
      new GetShardIteratorCommand({
        StreamArn: streamArn,
        ShardId: shardId,
        ...(checkpoint === undefined
          ? {
              ShardIteratorType: childShards.has(shardId)
                ? ("TRIM_HORIZON" as const)
                : trigger.startingPosition,
            }
          : { ShardIteratorType: "AFTER_SEQUENCE_NUMBER", SequenceNumber: checkpoint }),
      }),
    );
    return result.ShardIterator;
  };

  const sendToOnFailure = async (
    shardId: string,
    batch: readonly DynamoDBRecord[],
    condition: string,
    attempts: number,
    last: InvocationOutcome | undefined,
  ) => {
    const now = new Date();
    const day = now.toISOString().slice(0, 10).replaceAll("-", "/");
    await options.s3.send(
      new PutObjectCommand({
        Bucket: options.onFailureBucket,
        Key: `aws/lambda/${mappingId}/${shardId}/${day}/${now.toISOString()}-${randomUUID()}`,
        ContentType: "application/json",
        Body: JSON.stringify({
          version: "1.0",
          timestamp: now.toISOString(),
          requestContext: {
            requestId: last?.requestId ?? randomUUID(),
            functionArn: `arn:aws:lambda:${options.region}:000000000000:function:${functionName}`,
            condition,
            approximateInvokeCount: attempts,
          },
          responseContext: {
            statusCode: 200,
            executedVersion: "$LATEST",
            functionError: last?.ok === false ? last.error.errorType : undefined,
          },
          DDBStreamBatchInfo: {
            shardId,
            startSequenceNumber: sequenceOf(batch[0] as DynamoDBRecord),
            endSequenceNumber: sequenceOf(batch.at(-1) as DynamoDBRecord),
            batchSize: batch.length,
            streamArn,
          },
          payload: { Records: batch },
        }),
      }),
    );
    options.log(
      `${functionName}: ${batch.length} stream record(s) to s3://${options.onFailureBucket} (${condition})`,
    );
  };

  /**
   * Invokes until the batch succeeded or gave up; returns how many records of `batch` are
   * done (a prefix), so the caller checkpoints exactly there. Stops early when stopping.
   */
  const deliver = async (
    shardId: string,
    batch: readonly DynamoDBRecord[],
    attemptsSoFar = 0,
  ): Promise<number> => {
    let records = batch;
    let done = 0;
    let attempts = attemptsSoFar;
    while (records.length > 0 && !stopping) {
      if (trigger.maximumRecordAgeSeconds !== -1) {
        // Records past the maximum age are never sent to the function; in a shard they are the
        // oldest, so a prefix of the batch.
        const fresh = records.findIndex(
          (record) => ageSeconds(record) <= trigger.maximumRecordAgeSeconds,
        );
        const expired = fresh === -1 ? records.length : fresh;
        if (expired > 0) {
          await sendToOnFailure(
            shardId,
            records.slice(0, expired),
            "RecordAgeExceeded",
            attempts,
            undefined,
          );
          done += expired;
          records = records.slice(expired);
          continue;
        }
      }
      const last = await options.invoke({ Records: records });
      attempts += 1;
      let failedFrom = 0;
      if (last.ok) {
        const verdict = trigger.reportBatchItemFailures
          ? readStreamBatchResponse(last.value, records.map(sequenceOf))
          : ({ kind: "success" } as const);
        if (verdict.kind === "success") return done + records.length;
        if (verdict.kind === "partial") failedFrom = verdict.firstFailedIndex;
        else
          options.log(
            `${functionName}: invalid partial batch response, whole batch failed: ${verdict.reason}`,
          );
      } else {
        options.log(
          `${functionName}: invocation failed (${last.error.errorType}: ${last.error.errorMessage})`,
        );
      }
      done += failedFrom;
      records = records.slice(failedFrom);
      const step = nextStep(trigger, {
        attempts,
        size: records.length,
        oldestAgeSeconds: records[0] === undefined ? 0 : ageSeconds(records[0]),
        hasOnFailureDestination: true,
      });
      if (step.kind === "give-up") {
        await sendToOnFailure(shardId, records, step.condition, attempts, last);
        return done + records.length;
      }
      await sleep(delay(attempts));
      if (step.kind === "bisect") {
        const half = Math.ceil(records.length / 2);
        const first = await deliver(shardId, records.slice(0, half), attempts);
        if (first < half) return done + first;
        return done + half + (await deliver(shardId, records.slice(half), attempts));
      }
    }
    return done;
  };

  const consumeShard = async (shardId: string): Promise<void> => {
    let iterator = await iteratorFor(shardId);
    const buffer: DynamoDBRecord[] = [];
    let firstBufferedAt = 0;
    while (!stopping) {
      if (iterator !== undefined && buffer.length < trigger.batchSize * 2) {
        try {
          const page = await options.streams.send(
            new GetRecordsCommand({ ShardIterator: iterator, Limit: 1000 }),
          );
          iterator = page.NextShardIterator;
          const fresh = (page.Records ?? []).map((record) =>
            toLambdaStreamRecord(record, streamArn, options.region),
          );
          if (fresh.length > 0 && buffer.length === 0) firstBufferedAt = Date.now();
          buffer.push(...fresh);
        } catch (error) {
          if (!(error instanceof ExpiredIteratorException)) throw error;
          iterator = await iteratorFor(shardId);
          buffer.length = 0;
          continue;
        }
      }
      if (buffer.length === 0) {
        if (iterator === undefined) {
          options.checkpoints.save(position, shardId, SHARD_END);
          return;
        }
        await sleep(pollInterval);
        continue;
      }
      // The batch: up to batchSize matching records, with the skipped ones between them.
      let end = 0;
      const matched: DynamoDBRecord[] = [];
      while (end < buffer.length && matched.length < trigger.batchSize) {
        const record = buffer[end] as DynamoDBRecord;
        if (matchesAnyFilter(trigger.filters, record)) matched.push(record);
        end += 1;
      }
      const windowOpen = Date.now() - firstBufferedAt < trigger.maximumBatchingWindowSeconds * 1000;
      if (
        matched.length > 0 &&
        matched.length < trigger.batchSize &&
        windowOpen &&
        iterator !== undefined
      ) {
        await sleep(Math.min(pollInterval, trigger.maximumBatchingWindowSeconds * 1000));
        continue;
      }
      const doneMatched = matched.length === 0 ? 0 : await deliver(shardId, matched);
      if (doneMatched < matched.length) {
        // Stopping mid-way: checkpoint only what is done, never past an unfinished record.
        const lastDone = matched[doneMatched - 1];
        if (lastDone !== undefined)
          options.checkpoints.save(position, shardId, sequenceOf(lastDone));
        return;
      }
      options.checkpoints.save(position, shardId, sequenceOf(buffer[end - 1] as DynamoDBRecord));
      buffer.splice(0, end);
      firstBufferedAt = Date.now();
    }
  };

  const discover = async (): Promise<void> => {
    while (!stopping) {
      try {
        const shards = await describeShards();
        const finished = (shardId: string) =>
          options.checkpoints.get(position, shardId) === SHARD_END;
        const known = new Set(shards.map((shard) => shard.ShardId));
        for (const shard of shards) {
          const shardId = shard.ShardId;
          if (shardId === undefined || running.has(shardId) || finished(shardId)) continue;
          const parent = shard.ParentShardId;
          if (parent !== undefined && known.has(parent) && !finished(parent)) continue;
          if (parent !== undefined) childShards.add(shardId);
          running.set(
            shardId,
            consumeShard(shardId)
              .catch((error: unknown) =>
                options.log(`${functionName}: shard ${shardId}: ${String(error)}`),
              )
              .finally(() => running.delete(shardId)),
          );
        }
      } catch (error) {
        options.log(`${functionName}: describing ${streamArn} failed: ${String(error)}`);
      }
      await sleep(1_000);
    }
  };

  return {
    async start() {
      discovery = discover();
    },
    async stop() {
      stopping = true;
      wakeAll();
      await discovery;
      await Promise.all(running.values());
    },
  };
};
