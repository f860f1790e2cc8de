/**
 * When a local Kafka mapping commits: per partition, fetched batches commit in fetch order,
 * each once all of its records are done; after a record was abandoned (the mapping stopped)
 * nothing more of that partition is committed. See `docs/local-runtime.md`.
 *
 * @example
 * ```ts
 * const commits = new KafkaOffsetCommits({ commit: (offsets) => consumer.commitOffsets(offsets), log });
 * commits.commitWhenSettled("orders", 0, 43, fetched.map((pending) => pending.outcome));
 * await commits.settled(); // before the consumer disconnects
 * ```
 */
import type { TopicPartitionOffsetAndMetadata } from "kafkajs";
import type { RecordOutcome } from "./kafka-record-queue";

/** The commits of one mapping, chained per partition. */
export class KafkaOffsetCommits {
  /** Per "<topic>-<partition>": whether everything so far was committed (or tried). */
  readonly #chains = new Map<string, Promise<boolean>>();
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
   * earlier batches committed. A failed commit is logged only: commits are cumulative, the
   * partition's next commit covers it.
   */
  commitWhenSettled(
    topic: string,
    partition: number,
    nextOffset: number,
    outcomes: readonly Promise<RecordOutcome>[],
  ): void {
    const key = `${topic}-${partition}`;
    const previous = this.#chains.get(key) ?? Promise.resolve(true);
    this.#chains.set(
      key,
      previous.then(async (committedSoFar) => {
        if (!committedSoFar) return false;
        if ((await Promise.all(outcomes)).includes("abandoned")) return false;
        try {
          await this.#commit([{ topic, partition, offset: String(nextOffset) }]);
        } catch (error) {
          this.#log(`committing ${key}@${nextOffset} failed: ${String(error)}`);
        }
        return true;
      }),
    );
  }

  /** Resolves once every commit chained so far was made or given up. */
  async settled(): Promise<void> {
    await Promise.all(this.#chains.values());
  }
}
