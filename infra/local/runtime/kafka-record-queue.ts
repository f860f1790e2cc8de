/**
 * The records a local Kafka mapping has fetched and not yet delivered, in fetch order, and
 * how they become batches: after the batching window (or as soon as a batch is full), up to
 * the batch size and what fits in one 6 MB event. Each record settles once, "done" when it
 * succeeded or went to the on-failure destination, "abandoned" when the mapping stopped
 * first, "revoked" when a rebalance gave its partition to another consumer before it was
 * delivered. See `docs/local-runtime.md`.
 *
 * @example
 * ```ts
 * const queue = new KafkaRecordQueue({ batchSize: 100, batchingWindowSeconds: 0.5, envelopeBytes, isStopping });
 * queue.add(fetched.map((polled) => new PendingRecord(polled)));
 * const batch = await queue.nextBatch();
 * ```
 */
import type { PolledRecord } from "./kafka-lambda-event";

/** Lambda's invocation payload limit. */
export const MAX_PAYLOAD_BYTES = 6 * 1024 * 1024;

/**
 * How a fetched record ended: handled ("done"), left for the next poller ("abandoned"), or
 * left to the partition's new owner after a rebalance ("revoked").
 */
export type RecordOutcome = "done" | "abandoned" | "revoked";

/**
 * A fetched record waiting for its batch, then for its outcome, which its partition's
 * commit waits for.
 *
 * @example
 * ```ts
 * const pending = new PendingRecord(polled);
 * pending.settle("done"); // await pending.outcome elsewhere: "done"
 * ```
 */
export class PendingRecord {
  readonly polled: PolledRecord;
  /** Resolves with the first outcome it was settled with. */
  readonly outcome: Promise<RecordOutcome>;
  #settled = false;
  #resolve: (outcome: RecordOutcome) => void = () => undefined;

  constructor(polled: PolledRecord) {
    this.polled = polled;
    this.outcome = new Promise((resolve) => {
      this.#resolve = resolve;
    });
  }

  /** Whether it was settled, whatever the outcome. */
  get settled(): boolean {
    return this.#settled;
  }

  /** Settles the record; settling it again changes nothing. */
  settle(outcome: RecordOutcome): void {
    this.#settled = true;
    this.#resolve(outcome);
  }
}

/** The fetched records in line, and the batches made of them. */
export class KafkaRecordQueue {
  readonly #records: PendingRecord[] = [];
  readonly #batchSize: number;
  readonly #batchingWindowMs: number;
  /** The bytes of the event around the records: its fields, without any partition. */
  readonly #envelopeBytes: number;
  readonly #isStopping: () => boolean;
  #wake: (() => void) | undefined;

  constructor(options: {
    readonly batchSize: number;
    readonly batchingWindowSeconds: number;
    readonly envelopeBytes: number;
    readonly isStopping: () => boolean;
  }) {
    this.#batchSize = options.batchSize;
    this.#batchingWindowMs = options.batchingWindowSeconds * 1000;
    this.#envelopeBytes = options.envelopeBytes;
    this.#isStopping = options.isStopping;
  }

  /** Puts fetched records at the end of the line. */
  add(records: readonly PendingRecord[]): void {
    this.#records.push(...records);
    this.signal();
  }

  /** Puts records back at the head of the line, to be taken first again. */
  putBack(records: readonly PendingRecord[]): void {
    this.#records.unshift(...records);
  }

  /** Takes the records `isRemoved` picks out of the line, returning them in line order. */
  remove(isRemoved: (pending: PendingRecord) => boolean): PendingRecord[] {
    const removed = this.#records.filter(isRemoved);
    const kept = this.#records.filter((pending) => !isRemoved(pending));
    this.#records.length = 0;
    this.#records.push(...kept);
    return removed;
  }

  /** Empties the line, returning what was in it. */
  takeAll(): PendingRecord[] {
    return this.#records.splice(0);
  }

  /** Ends the current wait for records (new records arrived, or the mapping stops). */
  signal(): void {
    this.#wake?.();
    this.#wake = undefined;
  }

  /** Enough for one full invocation: a whole batch, or a full payload. */
  isFull(): boolean {
    return this.#records.length >= this.#batchSize || this.#queuedBytes() >= MAX_PAYLOAD_BYTES;
  }

  /**
   * Waits for records, then for the batching window (or a full batch), then takes what fits
   * in one event. Empty when the mapping stops.
   */
  async nextBatch(): Promise<PendingRecord[]> {
    while (this.#records.length === 0 && !this.#isStopping()) await this.#waitForWork(1_000);
    const windowEnds = Date.now() + this.#batchingWindowMs;
    while (!this.#isStopping() && !this.isFull() && Date.now() < windowEnds) {
      await this.#waitForWork(windowEnds - Date.now());
    }
    return this.#takeBatch();
  }

  /**
   * Takes records from the head while the batch has room: the batch size, and 6 MB counting
   * each record, the comma before it and, for a partition's first record, its
   * `"<topic>-<partition>":[...]`. The first record is always taken.
   */
  #takeBatch(): PendingRecord[] {
    const batch: PendingRecord[] = [];
    const partitions = new Set<string>();
    let bytes = this.#envelopeBytes;
    while (this.#records.length > 0 && batch.length < this.#batchSize) {
      const next = this.#records[0];
      if (next === undefined) break;
      const { topic, partition } = next.polled.record;
      const group = `${topic}-${partition}`;
      const added =
        next.polled.bytes + 1 + (partitions.has(group) ? 0 : Buffer.byteLength(group) + 6);
      if (batch.length > 0 && bytes + added > MAX_PAYLOAD_BYTES) break;
      bytes += added;
      partitions.add(group);
      batch.push(next);
      this.#records.shift();
    }
    return batch;
  }

  #queuedBytes(): number {
    return this.#records.reduce((sum, { polled }) => sum + polled.bytes, 0);
  }

  /** Waits until `signal` or `timeoutMs`, whichever comes first. */
  #waitForWork(timeoutMs: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, timeoutMs);
      this.#wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
}
