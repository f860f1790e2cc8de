/**
 * When a local Kafka mapping commits: per partition, fetched batches commit in fetch order,
 * each once all of its records are done; after a record was abandoned (the mapping stopped)
 * nothing more of that partition is committed. A partition revoked by a rebalance commits
 * nothing fetched before the revocation: its new owner commits from there, and a late commit
 * of ours could move the new owner's offset back. A commit never goes below one kafkajs
 * took, and a batch fetched again after a rejoin commits its end again: kafkajs answers
 * a commit made while its consumer is not running (restarting, crashed) as done without
 * sending it. See `docs/local-runtime.md`.
 *
 * @example
 * ```ts
 * const commits = new KafkaOffsetCommits({ commit: (offsets) => consumer.commitOffsets(offsets), log });
 * commits.commitWhenSettled("orders", 0, 43, fetched.map((pending) => pending.outcome));
 * commits.revoke("orders", 0); // the group gave partition 0 to another member
 * await commits.settled(); // before the consumer disconnects
 * ```
 */
import type { TopicPartitionOffsetAndMetadata } from "kafkajs";
import type { RecordOutcome } from "./kafka-record-queue";

/** The commits of one mapping, chained per partition. */
export class KafkaOffsetCommits {
  /** Per "<topic>-<partition>": false once a record was abandoned, when nothing more commits. */
  readonly #chains = new Map<string, Promise<boolean>>();
  /** Per partition: how many times it was revoked, so older batches can tell. */
  readonly #revocations = new Map<string, number>();
  /** Per partition: the highest offset kafkajs took a commit of since it was last revoked. */
  readonly #committed = new Map<string, number>();
  readonly #commit: (offsets: TopicPartitionOffsetAndMetadata[]) => Promise<void> | undefined;
  readonly #log: (line: string) => void;

  constructor(options: {
    /** Commits offsets with the group's consumer (nothing when it is not there). */
    readonly commit: (offsets: TopicPartitionOffsetAndMetadata[]) => Promise<void> | undefined;
    readonly log: (line: string) => void;
  }) {
    this.#commit = options.commit;
    this.#log = options.log;
  }

  /**
   * Commits `nextOffset` of the partition once every outcome is "done" and the partition's
   * earlier batches committed, unless the partition was revoked since or a higher offset was
   * committed already. A failed commit is logged only: commits are cumulative, the
   * partition's next commit covers it.
   */
  commitWhenSettled(
    topic: string,
    partition: number,
    nextOffset: number,
    outcomes: readonly Promise<RecordOutcome>[],
  ): void {
    const key = `${topic}-${partition}`;
    const revocations = this.#revocationsOf(key);
    const previous = this.#chains.get(key) ?? Promise.resolve(true);
    this.#chains.set(
      key,
      previous.then(async (committedSoFar) => {
        if (!committedSoFar) return false;
        if ((await Promise.all(outcomes)).includes("abandoned")) return false;
        await this.#commitIfStillOwned(key, { topic, partition, nextOffset }, revocations);
        return true;
      }),
    );
  }

  /** The partition went to another member: nothing fetched so far is committed any more. */
  revoke(topic: string, partition: number): void {
    const key = `${topic}-${partition}`;
    this.#revocations.set(key, this.#revocationsOf(key) + 1);
    this.#committed.delete(key);
  }

  /** Resolves once every commit chained so far was made or given up. */
  async settled(): Promise<void> {
    await Promise.all(this.#chains.values());
  }

  /**
   * Commits unless the partition was revoked since `revocationsThen` or a higher offset was
   * committed (a batch fetched again after a rejoin may end below what was committed). The
   * same offset again is committed again: kafkajs may have dropped the first one unsent.
   */
  async #commitIfStillOwned(
    key: string,
    { topic, partition, nextOffset }: { topic: string; partition: number; nextOffset: number },
    revocationsThen: number,
  ): Promise<void> {
    const stillOwned = () => this.#revocationsOf(key) === revocationsThen;
    if (!stillOwned() || nextOffset < (this.#committed.get(key) ?? -1)) return;
    const committed = await this.#commitOrLog(key, {
      topic,
      partition,
      offset: String(nextOffset),
    });
    // Not when revoked meanwhile: the mark would outlive the partition coming back.
    if (committed && stillOwned()) this.#committed.set(key, nextOffset);
  }

  #revocationsOf(key: string): number {
    return this.#revocations.get(key) ?? 0;
  }

  /** Whether the commit succeeded; a failure is logged. */
  async #commitOrLog(key: string, offset: TopicPartitionOffsetAndMetadata): Promise<boolean> {
    try {
      await this.#commit([offset]);
      return true;
    } catch (error) {
      this.#log(`committing ${key}@${offset.offset} failed: ${String(error)}`);
      return false;
    }
  }
}
