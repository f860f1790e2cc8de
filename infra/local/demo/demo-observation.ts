/**
 * What the demo observed of the running system at one moment: the topic's records since the
 * run started, the dead letters and on-failure records since then, what each mapping's
 * consumer group committed, what the API answered, and what the read model shows. Pure data,
 * gathered by the demo's I/O edge and judged by {@link accountForDemo}.
 *
 * @example
 * ```ts
 * const observation: DemoObservation = { topic: "order-events", start, end, records, ... };
 * ```
 */
import type { KafkaRecord } from "../../../shared/kafka/kafka-record";
import type { FilterPattern } from "../../wiring/types";
import type { ApiOrder, CustomerStats, OrderView } from "./read-model-views";

/** Kafka offsets of a topic's partitions: partition number to offset. */
export type PartitionOffsets = ReadonlyMap<number, number>;

/** A record the demo wrote itself, where the broker stored it. */
export interface SentRecord {
  readonly label: string;
  readonly partition: number;
  readonly offset: number;
}

/** One Kafka event source mapping of the topic, and what its consumer group committed. */
export interface MappingObservation {
  readonly functionName: string;
  readonly groupId: string;
  readonly filters: readonly FilterPattern[];
  /** Committed offsets (the next offset to read); a partition without a commit is absent. */
  readonly committed: PartitionOffsets;
}

export interface DemoObservation {
  readonly topic: string;
  readonly deadLetterTopic: string;
  readonly onFailureTopic: string;
  /** End offsets of the topic when the run started: the run's records start there. */
  readonly start: PartitionOffsets;
  /** End offsets of the topic now. */
  readonly end: PartitionOffsets;
  /** The topic's records from `start` to `end`, as far as the demo has read them. */
  readonly records: readonly KafkaRecord[];
  /** Records between `start` and `end` the demo has not read yet. */
  readonly unreadRecords: number;
  /** The dead-letter topic's records written since the run started. */
  readonly deadLetters: readonly KafkaRecord[];
  /** How many records reached the on-failure topic since the run started. */
  readonly onFailureRecords: number;
  readonly mappings: readonly MappingObservation[];
  /** Each order the run placed, as the API last answered for it. */
  readonly orders: readonly ApiOrder[];
  readonly malformed: readonly SentRecord[];
  /** Views by order id: of the run's orders and of any other order in `records`. */
  readonly views: ReadonlyMap<string, OrderView>;
  /** Stats by customer id, of the run's customers. */
  readonly stats: ReadonlyMap<string, CustomerStats>;
}

/** "partition@offset", how the demo names a record of the topic. */
export const recordAt = (partition: number, offset: number): string => `${partition}@${offset}`;
