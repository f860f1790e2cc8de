/**
 * A local DynamoDB Streams event source mapping (see `docs/architecture.md`, section "Lambda
 * event sources", and `docs/local-runtime.md`): every shard, parents before their children,
 * one batch in flight per shard (parallelization factor 1); batches bounded by batch size
 * and batching window; filters on the Lambda record; partial batch responses checkpoint just
 * before the lowest failed sequence number and retry from it; retry attempts, maximum record
 * age and bisect on error; records that give up go to the S3 on-failure destination with
 * the invocation payload. Checkpoints survive restarts.
 *
 * The mapping discovers shards ({@link shardsToStart}) and runs a {@link StreamShardReader}
 * for each, which hands its batches to the mapping's one {@link StreamBatchDelivery}.
 *
 * @example
 * ```ts
 * const source = createStreamEventSource({ functionName, trigger, streamArn, streams, s3, ... });
 * await source.start();
 * ```
 */
import type { DynamoDBStreamsClient } from "@aws-sdk/client-dynamodb-streams";
import type { S3Client } from "@aws-sdk/client-s3";
import { refuseInvalidMapping } from "../../wiring/mapping-limits";
import type { StreamTrigger } from "../../wiring/types";
import type { InvocationOutcome } from "./function-host";
import { interruptibleSleeps } from "./interruptible-sleep";
import { localFunctionArn } from "./on-failure-invocation-record";
import { retryDelayMs } from "./retry-policy";
import { StreamBatchDelivery } from "./stream-batch-delivery";
import { SHARD_END, type StreamCheckpoints } from "./stream-checkpoints";
import { StreamOnFailureBucket } from "./stream-on-failure-bucket";
import { StreamShardReader } from "./stream-shard-reader";
import { describeShards, type ShardToStart, shardsToStart } from "./stream-shards";

/** One stream trigger of one function, and what the mapping talks to. */
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
  /** Wait between reads of a shard with nothing new; tests shorten it. */
  readonly pollIntervalMs?: number;
  /** Backoff between retries; tests shorten it. */
  readonly retryDelay?: (attempts: number) => number;
}

/** A running local stream event source mapping. */
export interface StreamEventSource {
  /** Starts discovering shards and reading them. */
  start(): Promise<void>;
  /** Stops polling; the invocation in flight finishes and is checkpointed if it succeeded. */
  stop(): Promise<void>;
}

/**
 * The key of a mapping's positions in the checkpoints: they belong to the mapping (function
 * and stream), as Lambda keeps them per mapping.
 *
 * @example
 * ```ts
 * checkpoints.get(mappingPosition("order-projector", streamArn), shardId);
 * ```
 */
export const mappingPosition = (functionName: string, streamArn: string): string =>
  `${functionName} ${streamArn}`;

/**
 * A local event source mapping for a DynamoDB stream trigger; it does nothing until `start`.
 * Throws when the trigger breaks one of Lambda's limits for mappings.
 */
export const createStreamEventSource = (options: StreamEventSourceOptions): StreamEventSource =>
  new StreamEventSourceMapping(options);

/** How long a shard reader waits when the shard had nothing new. */
const DEFAULT_POLL_INTERVAL_MS = 250;
/** How often the stream is described again, for new shards. */
const DISCOVERY_INTERVAL_MS = 1_000;

/** One mapping: shard discovery, a reader per shard being read, one delivery for all of them. */
class StreamEventSourceMapping implements StreamEventSource {
  readonly #options: StreamEventSourceOptions;
  /** The mapping's log: every line starts with the function's name. */
  readonly #log: (line: string) => void;
  readonly #position: string;
  readonly #sleeps = interruptibleSleeps();
  readonly #delivery: StreamBatchDelivery;
  /** The shards being read, each until its reader ends. */
  readonly #reading = new Map<string, Promise<void>>();
  /** Shards with a parent begin at their start: the parent was read to its end. */
  readonly #childShards = new Set<string>();
  #stopping = false;
  #discovery: Promise<void> | undefined;

  constructor(options: StreamEventSourceOptions) {
    const { trigger, functionName, streamArn } = options;
    refuseInvalidMapping(trigger);
    this.#options = options;
    this.#position = mappingPosition(functionName, streamArn);
    const log = (line: string) => options.log(`${functionName}: ${line}`);
    this.#log = log;
    this.#delivery = new StreamBatchDelivery({
      trigger,
      invoke: options.invoke,
      onFailure: new StreamOnFailureBucket({
        s3: options.s3,
        bucket: options.onFailureBucket,
        functionArn: localFunctionArn(options.region, functionName),
        streamArn,
        log,
      }),
      sleep: (ms) => this.#sleeps.sleep(ms),
      retryDelay: options.retryDelay ?? retryDelayMs,
      isStopping: () => this.#stopping,
      log,
    });
  }

  async start(): Promise<void> {
    this.#discovery = this.#discoverShards();
  }

  async stop(): Promise<void> {
    this.#stopping = true;
    this.#sleeps.wakeAll();
    await this.#discovery;
    await Promise.all(this.#reading.values());
  }

  /** Describes the stream every second until stopping, starting the shards ready to read. */
  async #discoverShards(): Promise<void> {
    const { streams, streamArn, checkpoints } = this.#options;
    const isFinished = (shardId: string) => checkpoints.get(this.#position, shardId) === SHARD_END;
    const isReading = (shardId: string) => this.#reading.has(shardId);
    while (!this.#stopping) {
      try {
        const shards = await describeShards(streams, streamArn);
        for (const shard of shardsToStart(shards, { isReading, isFinished })) this.#read(shard);
      } catch (error) {
        this.#log(`describing ${streamArn} failed: ${String(error)}`);
      }
      await this.#sleeps.sleep(DISCOVERY_INTERVAL_MS);
    }
  }

  /** Reads the shard until its end, an error (logged; read again once rediscovered) or stopping. */
  #read({ shardId, isChild }: ShardToStart): void {
    if (isChild) this.#childShards.add(shardId);
    const reader = new StreamShardReader({
      shardId,
      startsAtTrimHorizon: this.#childShards.has(shardId),
      streams: this.#options.streams,
      streamArn: this.#options.streamArn,
      region: this.#options.region,
      trigger: this.#options.trigger,
      checkpoints: this.#options.checkpoints,
      position: this.#position,
      delivery: this.#delivery,
      sleep: (ms) => this.#sleeps.sleep(ms),
      pollIntervalMs: this.#options.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS,
      isStopping: () => this.#stopping,
    });
    this.#reading.set(
      shardId,
      reader
        .read()
        .catch((error: unknown) => this.#log(`shard ${shardId}: ${String(error)}`))
        .finally(() => this.#reading.delete(shardId)),
    );
  }
}
