/**
 * A provisioned Kafka mapping's on-failure destination: a Kafka topic that gets one record
 * per record given up on, keyed as the original, its value Lambda's invocation record with
 * the event of that one record as payload. See `docs/architecture.md`, section "Lambda event
 * sources".
 *
 * @example
 * ```ts
 * const onFailure = new KafkaOnFailureTopic({ topic: "orders-failed", producer: () => producer, functionArn, source, log });
 * await onFailure.send(records, "RetryAttemptsExhausted", 3, lastOutcome);
 * ```
 */
import type { Message, Producer } from "kafkajs";
import type { InvocationOutcome } from "./function-host";
import { type MskEventSource, mskEvent, type PolledRecord } from "./kafka-lambda-event";
import { type OnFailureCondition, onFailureInvocationRecord } from "./on-failure-invocation-record";

/** The on-failure topic of one mapping, written with the mapping's producer. */
export class KafkaOnFailureTopic {
  readonly #topic: string;
  readonly #producer: () => Producer | undefined;
  readonly #functionArn: string;
  readonly #source: MskEventSource;
  readonly #log: (line: string) => void;

  constructor(options: {
    readonly topic: string;
    /** The mapping's producer, once it is connected. */
    readonly producer: () => Producer | undefined;
    readonly functionArn: string;
    readonly source: MskEventSource;
    readonly log: (line: string) => void;
  }) {
    this.#topic = options.topic;
    this.#producer = options.producer;
    this.#functionArn = options.functionArn;
    this.#source = options.source;
    this.#log = options.log;
  }

  /** Writes the records (acknowledged by every in-sync replica); nothing before connecting. */
  async send(
    records: readonly PolledRecord[],
    condition: OnFailureCondition,
    invokeCount: number,
    lastOutcome: InvocationOutcome | undefined,
  ): Promise<void> {
    const producer = this.#producer();
    if (producer === undefined) return;
    await producer.send({
      topic: this.#topic,
      acks: -1,
      messages: records.map((polled) => this.#message(polled, condition, invokeCount, lastOutcome)),
    });
    this.#log(`${records.length} record(s) to ${this.#topic} (${condition})`);
  }

  #message(
    polled: PolledRecord,
    condition: OnFailureCondition,
    invokeCount: number,
    lastOutcome: InvocationOutcome | undefined,
  ): Message {
    return {
      key: polled.record.key == null ? null : Buffer.from(polled.record.key, "base64"),
      value: JSON.stringify({
        ...onFailureInvocationRecord({
          functionArn: this.#functionArn,
          condition,
          invokeCount,
          lastOutcome,
          timestamp: new Date().toISOString(),
        }),
        payload: mskEvent([polled], this.#source),
      }),
    };
  }
}
