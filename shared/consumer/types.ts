/**
 * The shapes a Kafka consumer works with: what a reader makes of a record, the effect that
 * applies an event, and what a batch came to.
 */
import type { KafkaRecord } from "../kafka/kafka-record";
import type { RecordDecodeError } from "../kafka/record-decode-error";
import type { CONSUMER_MODES } from "./constants";

/**
 * The mode of a consumer's event source mapping: see {@link CONSUMER_MODES}.
 *
 * @example
 * ```ts
 * const mode: ConsumerMode = "provisioned";
 * ```
 */
export type ConsumerMode = (typeof CONSUMER_MODES)[number];

/**
 * What a consumer makes of one record: its event to apply, another function's record to skip
 * (the trigger's filter should have left it out), or poison to dead-letter.
 *
 * @example
 * ```ts
 * const reading: RecordReading<OrderEvent> = { kind: "event", event };
 * ```
 */
export type RecordReading<E> =
  | { readonly kind: "event"; readonly event: E }
  | { readonly kind: "foreign" }
  | { readonly kind: "poison"; readonly error: RecordDecodeError };

/**
 * Reads one record; never throws (a record it cannot read is poison).
 *
 * @example
 * ```ts
 * const read: RecordReader<OrderEvent> = ownedEventReader(orderEventContracts, ["OrderCreated"]);
 * ```
 */
export type RecordReader<E> = (record: KafkaRecord) => RecordReading<E>;

/**
 * An effect either changed the state or found the event applied before (same `event_id`).
 *
 * @example
 * ```ts
 * const outcome: EffectOutcome = alreadyApplied ? "duplicate" : "applied";
 * ```
 */
export type EffectOutcome = "applied" | "duplicate";

/**
 * What an effect is told besides its event.
 *
 * @example
 * ```ts
 * const apply: ApplyEvent<OrderEvent> = async (event, { record, functionName }) =>
 *   readModel.apply(event, { source: `${record.topic}-${record.partition}@${record.offset}`, functionName });
 * ```
 */
export interface EffectContext {
  /** The record the event came from. */
  readonly record: KafkaRecord;
  readonly functionName: string;
}

/**
 * Applies one event at most once. Throws a `PermanentError` when the event can never be
 * applied (dead-lettered), anything else when it may work later (retried).
 *
 * @example
 * ```ts
 * const apply: ApplyEvent<OrderEvent> = async (event) => readModel.apply(event); // "applied" | "duplicate"
 * ```
 */
export type ApplyEvent<E> = (event: E, context: EffectContext) => Promise<EffectOutcome>;

/**
 * What one invocation did with its batch; `failed` records are left for Lambda to deliver again.
 *
 * @example
 * ```ts
 * logger.info("Kafka batch consumed", { ...report }); // received, applied, duplicates, ...
 * ```
 */
export interface BatchReport {
  readonly received: number;
  readonly applied: number;
  readonly duplicates: number;
  /** Other functions' records. */
  readonly skipped: number;
  /** Dead letters the broker acknowledged, of every kind, reduced ones included. */
  readonly deadLettered: number;
  /** Of `deadLettered`: transient failures of records past the age bound. */
  readonly transientExhausted: number;
  /** Of `deadLettered`: letters sent without their record's content, the full one refused. */
  readonly deadLettersReduced: number;
  /**
   * Not done: failed transiently, behind such a failure of the same key, not started in time,
   * dead letters that could not be sent, and poison held back behind a failure.
   */
  readonly failed: number;
  /** How long the invocation waited before answering, having records not done. */
  readonly waitedMs: number;
  readonly durationMs: number;
}
