/**
 * A local Kafka event source mapping, faithful to Lambda's rules (see `docs/architecture.md`,
 * section "Lambda event sources", and `docs/local-runtime.md`):
 * - its own consumer group; the starting position applies only while the group has no
 *   committed offsets;
 * - records whose value matches none of the filters are skipped, and their offsets committed;
 * - batches may span partitions, bounded by batch size, batching window and 6 MB;
 * - offsets are committed only after the records before them succeeded (or, in provisioned
 *   mode, went to the on-failure destination);
 * - on-demand mode retries a failed batch until it succeeds; provisioned mode honours retry
 *   attempts, maximum record age, bisect on error, partial batch responses and a Kafka
 *   on-failure topic;
 * - a rebalance leaves the records of partitions the mapping lost to their new owner, and
 *   what kafkajs fetches again of the partitions it kept is not taken twice.
 * - a consumer kafkajs gives up on after a crash is replaced; it resumes from the commits.
 *
 * Fetching ({@link KafkaEventSourceMapping} as the consumer's `eachBatch`) fills a
 * {@link KafkaRecordQueue}; one loop takes batches from it and hands each to a
 * {@link KafkaBatchDelivery}; {@link KafkaOffsetCommits} commits behind the outcomes;
 * {@link KafkaPartitionAssignment} follows what the group assigns.
 *
 * @example
 * ```ts
 * const source = createKafkaEventSource({ functionName, trigger, kafka, invoke: host.invoke, ... });
 * await source.start();
 * await source.stop();
 * ```
 */
import type {
  Consumer,
  ConsumerGroupJoinEvent,
  EachBatchPayload,
  Kafka,
  KafkaMessage,
  Producer,
} from "kafkajs";
import { refuseInvalidMapping } from "../../wiring/mapping-limits";
import type { KafkaTrigger } from "../../wiring/types";
import { kafkaFilterDocument, matchesAnyFilter } from "./filter-patterns";
import type { InvocationOutcome } from "./function-host";
import { interruptibleSleeps } from "./interruptible-sleep";
import { KafkaBatchDelivery, StoppingError } from "./kafka-batch-delivery";
import { type MskEventSource, mskEvent, toPolledRecord } from "./kafka-lambda-event";
import { KafkaOffsetCommits } from "./kafka-offset-commits";
import { KafkaOnFailureTopic } from "./kafka-on-failure-topic";
import {
  KafkaPartitionAssignment,
  partitionKey,
  type TopicPartition,
} from "./kafka-partition-assignment";
import { KafkaRecordQueue, PendingRecord } from "./kafka-record-queue";
import { localFunctionArn } from "./on-failure-invocation-record";
import { ON_DEMAND_POLICY, retryDelayMs } from "./retry-policy";

/** Lambda's invocation payload limit; it bounds every batch (defined with the queue). */
export { MAX_PAYLOAD_BYTES } from "./kafka-record-queue";

/** One Kafka trigger of one function, and what the mapping talks to. */
export interface KafkaEventSourceOptions {
  readonly functionName: string;
  readonly trigger: KafkaTrigger;
  readonly kafka: Kafka;
  /** As the event's `bootstrapServers` names them. */
  readonly bootstrapServers: string;
  readonly region: string;
  readonly invoke: (event: unknown) => Promise<InvocationOutcome>;
  readonly log: (line: string) => void;
  /** Backoff between retries; tests shorten it. */
  readonly retryDelay?: (attempts: number) => number;
}

/** A running local Kafka event source mapping. */
export interface KafkaEventSource {
  /** Connects, joins the mapping's consumer group and starts delivering. */
  start(): Promise<void>;
  /** Stops taking records, lets the invocation in flight finish, commits nothing unfinished. */
  stop(): Promise<void>;
}

/**
 * A local event source mapping for a Kafka trigger; it does nothing until `start`. Throws
 * when the trigger breaks one of Lambda's limits for mappings.
 */
export const createKafkaEventSource = (options: KafkaEventSourceOptions): KafkaEventSource =>
  new KafkaEventSourceMapping(options);

/** How long to fetch nothing more while a full invocation waits, between looks. */
const HOLD_POLL_MS = 50;
/** How often a held fetch tells the group it is alive. */
const HEARTBEAT_MS = 3_000;

/** One mapping: its consumer and producer, the queue between fetching and delivering, its commits. */
class KafkaEventSourceMapping implements KafkaEventSource {
  readonly #options: KafkaEventSourceOptions;
  readonly #trigger: KafkaTrigger;
  /** The mapping's log: every line starts with the function's name. */
  readonly #log: (line: string) => void;
  readonly #sleeps = interruptibleSleeps();
  readonly #retryDelay: (attempts: number) => number;
  readonly #queue: KafkaRecordQueue;
  readonly #delivery: KafkaBatchDelivery;
  readonly #commits: KafkaOffsetCommits;
  readonly #assignment = new KafkaPartitionAssignment();
  #stopping = false;
  /** Crashes since a consumer of the mapping last joined the group: the back-off grows with them. */
  #crashes = 0;
  #consumer: Consumer | undefined;
  #producer: Producer | undefined;
  #loop: Promise<void> | undefined;

  constructor(options: KafkaEventSourceOptions) {
    const { trigger, functionName } = options;
    refuseInvalidMapping(trigger);
    this.#options = options;
    this.#trigger = trigger;
    this.#retryDelay = options.retryDelay ?? retryDelayMs;
    const log = (line: string) => options.log(`${functionName}: ${line}`);
    this.#log = log;
    const isStopping = () => this.#stopping;
    const source: MskEventSource = {
      eventSourceArn: `arn:aws:kafka:${options.region}:000000000000:cluster/local/${trigger.consumerGroupId}`,
      bootstrapServers: options.bootstrapServers,
    };
    this.#queue = new KafkaRecordQueue({
      batchSize: trigger.batchSize,
      batchingWindowSeconds: trigger.maximumBatchingWindowSeconds,
      // The event around the records counts towards the 6 MB too.
      envelopeBytes: Buffer.byteLength(JSON.stringify(mskEvent([], source))),
      isStopping,
    });
    this.#delivery = this.#batchDelivery(source, isStopping, log);
    this.#commits = new KafkaOffsetCommits({
      commit: (offsets) => this.#consumer?.commitOffsets(offsets),
      log,
    });
  }

  async start(): Promise<void> {
    this.#producer = this.#options.kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await this.#producer.connect();
    await this.#startConsumer();
  }

  /** Joins the mapping's group and fetches into the queue; started again after a crash. */
  async #startConsumer(): Promise<void> {
    const consumer = this.#options.kafka.consumer({
      groupId: this.#trigger.consumerGroupId,
      maxWaitTimeInMs: 250,
    });
    this.#consumer = consumer;
    // Emitted synchronously at every (re)join, before kafkajs fetches with the new assignment.
    consumer.on(consumer.events.GROUP_JOIN, (event) => {
      this.#crashes = 0;
      this.#rejoined(event);
    });
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      if (!payload.restart) this.#restartAfterCrash(consumer, payload.error);
    });
    await consumer.connect();
    await consumer.subscribe({
      topic: this.#trigger.topic,
      fromBeginning: this.#trigger.startingPosition === "TRIM_HORIZON",
    });
    this.#loop ??= this.#deliverBatches();
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: 64,
      eachBatch: (payload) => this.#takeFetched(payload),
    });
  }

  /**
   * kafkajs gives up on a consumer after an error it deems not retriable (a connection closed
   * while the broker restarts, for one); Lambda's mapping keeps polling, so this one starts a
   * new consumer, which rejoins the group and resumes from the committed offsets.
   */
  #restartAfterCrash(crashed: Consumer, reason: unknown): void {
    if (this.#stopping || this.#consumer !== crashed) return;
    this.#crashes += 1;
    this.#log(`consumer stopped (${String(reason)}); starting a new one`);
    void this.#replaceConsumer(this.#crashes);
  }

  /**
   * Starts a new consumer after the mapping's back-off, longer after each start that fails
   * and each crash before a consumer joins the group. A start that gets as far as `run`
   * reports any later failure as a crash of its own.
   */
  async #replaceConsumer(firstAttempt: number): Promise<void> {
    for (let attempt = firstAttempt; !this.#stopping; attempt += 1) {
      await this.#sleeps.sleep(this.#retryDelay(attempt));
      if (this.#stopping) return;
      try {
        await this.#startConsumer();
        return;
      } catch (error) {
        this.#log(`a new consumer did not start (${String(error)}); trying again`);
        await this.#consumer?.disconnect().catch(() => undefined);
      }
    }
  }

  async stop(): Promise<void> {
    this.#stopping = true;
    this.#queue.signal();
    this.#sleeps.wakeAll();
    await this.#loop;
    // Commits of what finished, before the consumer leaves (kafkajs drops them after).
    await this.#commits.settled();
    await this.#consumer?.disconnect();
    await this.#producer?.disconnect();
  }

  #batchDelivery(
    source: MskEventSource,
    isStopping: () => boolean,
    log: (line: string) => void,
  ): KafkaBatchDelivery {
    const { mode } = this.#trigger;
    const provisioned = mode.kind === "provisioned" ? mode : undefined;
    const onFailureTopic = provisioned?.onFailureTopic;
    return new KafkaBatchDelivery({
      policy: provisioned ?? ON_DEMAND_POLICY,
      partialResponses: provisioned?.reportBatchItemFailures === true,
      source,
      invoke: this.#options.invoke,
      onFailure:
        onFailureTopic === undefined
          ? undefined
          : new KafkaOnFailureTopic({
              topic: onFailureTopic,
              producer: () => this.#producer,
              functionArn: localFunctionArn(this.#options.region, this.#options.functionName),
              source,
              log,
            }),
      sleep: (ms) => this.#sleeps.sleep(ms),
      retryDelay: this.#retryDelay,
      isStopping,
      log,
    });
  }

  /** The one delivery loop: a batch at a time, until stopping; then abandons what is left. */
  async #deliverBatches(): Promise<void> {
    while (!this.#stopping) {
      const batch = await this.#queue.nextBatch();
      if (batch.length > 0) await this.#deliverOrPutBack(batch);
    }
    for (const pending of this.#queue.takeAll()) pending.settle("abandoned");
  }

  async #deliverOrPutBack(batch: readonly PendingRecord[]): Promise<void> {
    try {
      await this.#delivery.deliver(batch);
    } catch (error) {
      if (error instanceof StoppingError) {
        for (const pending of batch) pending.settle("abandoned");
        return;
      }
      // Not the function's failure (e.g. the on-failure topic refused the records): what is
      // not done yet stays first in line and is tried again, as the broker still holds it.
      this.#log(String(error));
      const unfinished = batch.filter((pending) => !pending.settled);
      const [mine, revoked] = partitioned(unfinished, ({ polled }) =>
        this.#assignment.owns(polled.record),
      );
      for (const pending of revoked) pending.settle("revoked");
      this.#queue.putBack(mine);
      await this.#sleeps.sleep(this.#retryDelay(1));
    }
  }

  /**
   * The group's assignment at a (re)join. The records waiting for partitions now owned by
   * another member are its to deliver; records of partitions kept stay in line, and
   * {@link #takeFetched} skips them when kafkajs fetches them again.
   */
  #rejoined({ payload }: ConsumerGroupJoinEvent): void {
    const lost = this.#assignment.reassign(payload.memberAssignment);
    if (lost.length === 0) return;
    const lostKeys = new Set(lost.map(partitionKey));
    for (const { topic, partition } of lost) this.#commits.revoke(topic, partition);
    const revoked = this.#queue.remove(({ polled }) => lostKeys.has(partitionKey(polled.record)));
    for (const pending of revoked) pending.settle("revoked");
    this.#log(
      `rebalanced: ${[...lostKeys].join(", ")} now another member's, ${revoked.length} queued record(s) left to it`,
    );
  }

  /** The consumer's `eachBatch`: queues the matching records of a fetched batch not taken yet. */
  async #takeFetched({ batch, heartbeat, resolveOffset }: EachBatchPayload): Promise<void> {
    const last = batch.messages.at(-1);
    // Fetched before a rebalance gave the partition away: its new owner fetches it.
    if (last === undefined || !this.#assignment.owns(batch)) return;
    const matching = this.#matching(batch, this.#assignment.unseen(batch, batch.messages));
    this.#queue.add(matching);
    // Fetching goes on while these records wait for their batch (kafkajs fetches again only
    // once eachBatch returns), so records produced within the batching window join it.
    // Resolving moves the fetch position only; the commit waits for the outcome.
    resolveOffset(last.offset);
    // Also when nothing is new (a batch fetched again after a rejoin): then it commits again
    // what a commit during the rebalance may have failed to.
    const outcomes = matching.map((pending) => pending.outcome);
    this.#commits.commitWhenSettled(
      batch.topic,
      batch.partition,
      Number(last.offset) + 1,
      outcomes,
    );
    await this.#holdWhileFull(heartbeat);
  }

  /** The messages that match the trigger's filters, as records waiting for a batch. */
  #matching(
    { topic, partition }: TopicPartition,
    messages: readonly KafkaMessage[],
  ): PendingRecord[] {
    return messages
      .map((message) => toPolledRecord(topic, partition, message))
      .filter((record) =>
        matchesAnyFilter(this.#trigger.filters, kafkaFilterDocument(record.value)),
      )
      .map((record) => new PendingRecord(record));
  }

  /**
   * Enough waiting for one full invocation: fetch no more until some of it is taken. A
   * failed heartbeat ends the wait and is thrown to kafkajs, as its own heartbeat's would
   * be: "rebalance in progress" means the group waits for this member to rejoin.
   */
  async #holdWhileFull(heartbeat: () => Promise<void>): Promise<void> {
    let failure: { readonly error: unknown } | undefined;
    const beat = setInterval(() => {
      heartbeat().catch((error: unknown) => {
        failure ??= { error };
      });
    }, HEARTBEAT_MS);
    try {
      while (!this.#stopping && failure === undefined && this.#queue.isFull()) {
        await this.#sleeps.sleep(HOLD_POLL_MS);
      }
    } finally {
      clearInterval(beat);
    }
    if (failure !== undefined) throw failure.error;
  }
}

/** The items `test` holds for, then the others, each in order. */
const partitioned = <T>(items: readonly T[], test: (item: T) => boolean): [T[], T[]] => [
  items.filter(test),
  items.filter((item) => !test(item)),
];
