/**
 * The partitions a local Kafka mapping's consumer owns, as its group assigned them at the
 * last (re)join, and how far it has fetched each since it got it. After every rejoin kafkajs
 * forgets where it fetched to and fetches again from the committed offset; what the mapping
 * already took (queued, in flight or done) is not taken again while it keeps the partition.
 * See `docs/local-runtime.md`.
 *
 * @example
 * ```ts
 * const assignment = new KafkaPartitionAssignment();
 * const lost = assignment.reassign({ orders: [0, 2] }); // on every GROUP_JOIN
 * const fresh = assignment.unseen("orders", 0, batch.messages);
 * ```
 */

/** One partition of one topic. */
export interface TopicPartition {
  readonly topic: string;
  readonly partition: number;
}

/** `"<topic>-<partition>"`, as the Lambda event groups records. */
export const partitionKey = ({ topic, partition }: TopicPartition): string =>
  `${topic}-${partition}`;

/** The consumer's current partitions and, per partition, the highest offset fetched. */
export class KafkaPartitionAssignment {
  #owned = new Map<string, TopicPartition>();
  /** Per owned partition: the highest offset fetched since it was assigned. */
  readonly #fetchedUpTo = new Map<string, number>();

  /**
   * Takes the group's new assignment (topic to partitions); returns the partitions no longer
   * owned. Their fetch positions are forgotten: if one comes back, its records are read
   * again from the committed offset, as another member may have moved it meanwhile.
   */
  reassign(assignment: Readonly<Record<string, readonly number[]>>): TopicPartition[] {
    const owned = new Map<string, TopicPartition>();
    for (const [topic, partitions] of Object.entries(assignment)) {
      for (const partition of partitions)
        owned.set(partitionKey({ topic, partition }), { topic, partition });
    }
    const lost = [...this.#owned].filter(([key]) => !owned.has(key));
    for (const [key] of lost) this.#fetchedUpTo.delete(key);
    this.#owned = owned;
    return lost.map(([, lostPartition]) => lostPartition);
  }

  /** Whether the partition is assigned to this consumer now. */
  owns(topicPartition: TopicPartition): boolean {
    return this.#owned.has(partitionKey(topicPartition));
  }

  /**
   * The fetched messages past the highest offset fetched before (in offset order, as
   * kafkajs hands them); they count as fetched from now on.
   */
  unseen<M extends { readonly offset: string }>(
    topicPartition: TopicPartition,
    messages: readonly M[],
  ): M[] {
    const key = partitionKey(topicPartition);
    const upTo = this.#fetchedUpTo.get(key) ?? -1;
    const fresh = messages.filter((message) => Number(message.offset) > upTo);
    const last = fresh.at(-1);
    if (last !== undefined) this.#fetchedUpTo.set(key, Number(last.offset));
    return fresh;
  }
}
