/**
 * Reads one DynamoDB stream shard for a local mapping, one batch in flight at a time
 * (parallelization factor 1): pages of records are buffered, a batch is up to batch size
 * matching records (the filtered-out ones between them are skipped with it), it waits for
 * the batching window unless full, and the shard's checkpoint moves past each batch once it
 * is done. A shard read to its end is checkpointed as finished. See `docs/local-runtime.md`.
 *
 * @example
 * ```ts
 * const reader = new StreamShardReader({ shardId, startsAtTrimHorizon: false, streams, streamArn, ... });
 * await reader.read(); // returns at the shard's end, or when stopping
 * ```
 */
import {
  type DynamoDBStreamsClient,
  ExpiredIteratorException,
  GetRecordsCommand,
  GetShardIteratorCommand,
} from "@aws-sdk/client-dynamodb-streams";
import type { DynamoDBRecord } from "aws-lambda";
import type { StreamTrigger } from "../../wiring/types";
import { toLambdaStreamRecord } from "../aws/dynamodb-stream-event";
import { sequenceNumberOf } from "./dynamodb-stream-record";
import { matchesAnyFilter } from "./filter-patterns";
import type { StreamBatchDelivery } from "./stream-batch-delivery";
import { SHARD_END, type StreamCheckpoints } from "./stream-checkpoints";

/** What a shard reader needs of its mapping. */
export interface StreamShardReaderOptions {
  readonly shardId: string;
  /** A child shard begins at its start when it has no checkpoint: its parent was read to its end. */
  readonly startsAtTrimHorizon: boolean;
  readonly streams: DynamoDBStreamsClient;
  readonly streamArn: string;
  readonly region: string;
  readonly trigger: StreamTrigger;
  readonly checkpoints: StreamCheckpoints;
  /** The mapping's key in the checkpoints. */
  readonly position: string;
  readonly delivery: StreamBatchDelivery;
  readonly sleep: (ms: number) => Promise<void>;
  readonly pollIntervalMs: number;
  readonly isStopping: () => boolean;
}

/** The next batch at the head of the buffer. */
interface BufferedBatch {
  /** The records for the function, at most batch size. */
  readonly matched: readonly DynamoDBRecord[];
  /** How many buffered records the batch covers, skipped ones included. */
  readonly covers: number;
}

/** GetRecords' largest page. */
const PAGE_LIMIT = 1000;

/** One shard's reading, from its checkpoint (or starting position) on. */
export class StreamShardReader {
  readonly #options: StreamShardReaderOptions;
  readonly #buffer: DynamoDBRecord[] = [];
  /** Undefined once the shard is closed and read to its end. */
  #iterator: string | undefined;
  /** When the oldest record of the buffer arrived, for the batching window. */
  #firstBufferedAt = 0;

  constructor(options: StreamShardReaderOptions) {
    this.#options = options;
  }

  /** Reads until the shard's end (checkpointed as finished) or stopping. */
  async read(): Promise<void> {
    const { trigger, pollIntervalMs, sleep } = this.#options;
    this.#iterator = await this.#iteratorFromCheckpoint();
    while (!this.#options.isStopping()) {
      const iterator = this.#iterator;
      if (iterator !== undefined && this.#buffer.length < trigger.batchSize * 2) {
        if (!(await this.#fetch(iterator))) continue;
      }
      if (this.#buffer.length === 0) {
        if (this.#iterator === undefined) {
          this.#checkpoint(SHARD_END);
          return;
        }
        await sleep(pollIntervalMs);
        continue;
      }
      const batch = this.#nextBatch();
      if (this.#waitsForMore(batch)) {
        await sleep(Math.min(pollIntervalMs, trigger.maximumBatchingWindowSeconds * 1000));
        continue;
      }
      if (!(await this.#deliver(batch))) return;
    }
  }

  /** Where the mapping left the shard, or the starting position when it never read it. */
  async #iteratorFromCheckpoint(): Promise<string | undefined> {
    const { streams, streamArn, shardId, trigger } = this.#options;
    const checkpoint = this.#options.checkpoints.get(this.#options.position, shardId);
    const result = await streams.send(
      new GetShardIteratorCommand({
        StreamArn: streamArn,
        ShardId: shardId,
        ...(checkpoint === undefined
          ? {
              ShardIteratorType: this.#options.startsAtTrimHorizon
                ? ("TRIM_HORIZON" as const)
                : trigger.startingPosition,
            }
          : { ShardIteratorType: "AFTER_SEQUENCE_NUMBER", SequenceNumber: checkpoint }),
      }),
    );
    return result.ShardIterator;
  }

  /**
   * Buffers the next page. False when the iterator had expired: the buffer is dropped and
   * reading resumes from the checkpoint.
   */
  async #fetch(iterator: string): Promise<boolean> {
    const { streams, streamArn, region } = this.#options;
    try {
      const page = await streams.send(
        new GetRecordsCommand({ ShardIterator: iterator, Limit: PAGE_LIMIT }),
      );
      this.#iterator = page.NextShardIterator;
      const fresh = (page.Records ?? []).map((record) =>
        toLambdaStreamRecord(record, streamArn, region),
      );
      if (fresh.length > 0 && this.#buffer.length === 0) this.#firstBufferedAt = Date.now();
      this.#buffer.push(...fresh);
      return true;
    } catch (error) {
      if (!(error instanceof ExpiredIteratorException)) throw error;
      this.#iterator = await this.#iteratorFromCheckpoint();
      this.#buffer.length = 0;
      return false;
    }
  }

  /** Up to batch size matching records from the head, with the skipped ones between them. */
  #nextBatch(): BufferedBatch {
    const { trigger } = this.#options;
    let covers = 0;
    const matched: DynamoDBRecord[] = [];
    while (covers < this.#buffer.length && matched.length < trigger.batchSize) {
      const record = this.#buffer[covers] as DynamoDBRecord;
      if (matchesAnyFilter(trigger.filters, record)) matched.push(record);
      covers += 1;
    }
    return { matched, covers };
  }

  /** A batch not yet full waits for the batching window, unless the shard has ended. */
  #waitsForMore({ matched }: BufferedBatch): boolean {
    const { trigger } = this.#options;
    const windowOpen =
      Date.now() - this.#firstBufferedAt < trigger.maximumBatchingWindowSeconds * 1000;
    return (
      matched.length > 0 &&
      matched.length < trigger.batchSize &&
      windowOpen &&
      this.#iterator !== undefined
    );
  }

  /**
   * Delivers the batch and checkpoints past it. False when stopping cut it short: then only
   * what is done is checkpointed, never past an unfinished record.
   */
  async #deliver({ matched, covers }: BufferedBatch): Promise<boolean> {
    const done =
      matched.length === 0
        ? 0
        : await this.#options.delivery.deliver(this.#options.shardId, matched);
    if (done < matched.length) {
      const lastDone = matched[done - 1];
      if (lastDone !== undefined) this.#checkpoint(sequenceNumberOf(lastDone));
      return false;
    }
    this.#checkpoint(sequenceNumberOf(this.#buffer[covers - 1] as DynamoDBRecord));
    this.#buffer.splice(0, covers);
    this.#firstBufferedAt = Date.now();
    return true;
  }

  #checkpoint(position: string): void {
    this.#options.checkpoints.save(this.#options.position, this.#options.shardId, position);
  }
}
