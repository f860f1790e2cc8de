/**
 * The idempotent Kafka producer every function uses: acks = all, one request in flight per
 * connection (order within a partition survives retries), messages keyed by aggregate id,
 * many messages per request across topics, bounded retries, and one deadline over a whole
 * send, so a send to an unreachable cluster fails in bounded time with a typed error.
 *
 * Delivery semantics of {@link KafkaProducer.send}: messages go out in consecutive requests
 * (see `chunkMessages`); kafkajs reports a request as a whole, so on success every message is
 * acknowledged, and on failure the error's `firstUnacknowledged` says how many leading
 * messages were acknowledged. Messages from there on may or may not have been written: send
 * them again (duplicates are possible, loss is not; consumers dedupe by `event_id`).
 *
 * A refusal for what a message is (MESSAGE_TOO_LARGE, RECORD_LIST_TOO_LARGE, INVALID_RECORD)
 * concerns one partition's batch, and kafkajs reports it for the whole request, without the
 * partition, although the broker wrote the other partitions' batches. The producer then sends
 * each partition's messages again as before, which the broker acknowledges as duplicates of
 * what it wrote, without writing them again, and splits the refused partition's messages
 * until one is refused alone: `MessageRefusedError` names it and carries every message's
 * acknowledgement, so the caller sends nothing twice (`locateRefusedMessage`). Only with
 * several brokers can a part be written twice: a broker whose part succeeded while another
 * refused its own has advanced its partitions' sequence numbers, which kafkajs does not
 * report, so those messages are sent again as new ones. The producer is kept: its state
 * agrees with the broker's.
 *
 * After any other failed send the underlying kafkajs producer is retired and the next send
 * starts a new one with a new producer id. kafkajs rewinds its sequence numbers when a
 * request fails, even when the broker did write it (a timed-out response); the next,
 * different messages would then reuse those numbers and be taken for duplicates (lost) or
 * rejected out of order forever. A new producer id starts a clean sequence. A retired
 * producer is disconnected once its last request settles, because kafkajs keeps retrying a
 * request whose caller gave up on the deadline, and would reconnect a producer disconnected
 * under it. Such a straggling retry may still write its messages after the caller sent them
 * again: a late duplicate, out of order behind newer messages of the same key (consumers are
 * idempotent and version-aware).
 *
 * A caller that gives up on a send before it settles (its own timer, shorter than the send's
 * deadline) must say so with {@link KafkaProducer.abandonSends}: the abandoned request may
 * still time out in kafkajs and rewind its sequence numbers, and the caller's next send, on
 * the same producer id, would take those numbers and be acknowledged as a duplicate of the
 * abandoned messages without being written. Abandoning retires the producer as a failed send
 * does.
 */
import {
  type ICustomPartitioner,
  Kafka,
  type Message,
  Partitioners,
  type Producer,
  type RecordMetadata,
  type TopicMessages,
} from "kafkajs";
import { isMessageRefusal, MessageRefusedError, toProduceError } from "./classify-produce-error";
import { ProduceTimeoutError } from "./errors";
import { type KafkaClientOptions, kafkaClientConfig, retryOptions } from "./kafka-client-config";
import type { KafkaSettings } from "./kafka-settings";
import { offsetCounter } from "./offset-counter";
import {
  type Acknowledgement,
  type MessageSender,
  type OutgoingMessage,
  type SendReport,
  toKafkaHeaders,
} from "./outgoing-message";
import {
  chunkMessages,
  DEFAULT_MAX_REQUEST_BYTES,
  locateRefusedMessage,
  partitionGroups,
  type RefusedMessage,
} from "./request-chunks";

/**
 * What a {@link KafkaProducer} takes besides the settings: the client options, and the upper
 * bound of one produce request.
 *
 * @example
 * ```ts
 * const options: KafkaProducerOptions = { maxRequestBytes: 500_000 };
 * ```
 */
export interface KafkaProducerOptions extends KafkaClientOptions {
  /** Upper bound of one produce request; below the cluster's `message.max.bytes`. */
  readonly maxRequestBytes?: number;
}

/** One kafkajs producer (one producer id) and the requests still running on it. */
interface Generation {
  readonly producer: Producer;
  readonly connected: Promise<void>;
  inFlight: number;
  retired: boolean;
}

interface PreparedMessage {
  readonly topic: string;
  readonly message: Message;
}

/**
 * A request of a send that the broker refused for what one of its messages is: that message,
 * and the acknowledgements of the request's messages, `undefined` where none came.
 */
class RefusedInRequest extends Error {
  constructor(
    readonly refused: RefusedMessage,
    readonly acknowledgements: readonly (Acknowledgement | undefined)[],
  ) {
    super("A message of the request was refused");
  }
}

const prepare = (messages: readonly OutgoingMessage[]): PreparedMessage[] =>
  messages.map(({ topic, key, value, headers }) => ({
    topic,
    message: { key, value, headers: toKafkaHeaders(headers) },
  }));

/** How many leading entries are set: the messages acknowledged from the first one on. */
const leadingCount = (acknowledgements: readonly (Acknowledgement | undefined)[]): number => {
  const missing = acknowledgements.indexOf(undefined);
  return missing === -1 ? acknowledgements.length : missing;
};

const everyAcknowledged = (
  acknowledgements: readonly (Acknowledgement | undefined)[],
): Acknowledgement[] =>
  acknowledgements.map((acknowledgement) => {
    if (acknowledgement === undefined) throw new Error("a message of the request has no offset");
    return acknowledgement;
  });

/** The error of a send in which one request had a message refused (see `RefusedInRequest`). */
const refusedMessageError = (
  refusal: RefusedInRequest,
  before: readonly Acknowledgement[],
  sendLength: number,
): MessageRefusedError => {
  const acknowledgements = Array.from({ length: sendLength }, (_, index) =>
    index < before.length ? before[index] : refusal.acknowledgements[index - before.length],
  );
  const index = before.length + refusal.refused.position;
  const { message, kafkaError, kafkaErrorType } = toProduceError(refusal.refused.error, index);
  return new MessageRefusedError(
    message,
    { firstUnacknowledged: index, kafkaError, kafkaErrorType },
    acknowledgements,
    { cause: refusal.refused.error },
  );
};

/**
 * Kafka's default (murmur2, Java-compatible) partitioner, but a message keeps the partition
 * it got first. kafkajs partitions a request again on each retry; a keyless message would get
 * the next round-robin partition and, with several brokers, could move to a broker whose part
 * already succeeded and never be sent, while the send reports success.
 */
const stickyPartitioner: ICustomPartitioner = () => {
  const choose = Partitioners.DefaultPartitioner();
  // The choice is written on the message (our own object, made for this send), where kafkajs'
  // partitioners look first, and where the acknowledgements find it.
  return (args) => {
    args.message.partition ??= choose(args);
    return args.message.partition;
  };
};

const groupByTopic = (prepared: readonly PreparedMessage[]): TopicMessages[] => {
  const byTopic = new Map<string, Message[]>();
  for (const { topic, message } of prepared) {
    const messages = byTopic.get(topic);
    if (messages === undefined) byTopic.set(topic, [message]);
    else messages.push(message);
  }
  return [...byTopic].map(([topic, messages]) => ({ topic, messages }));
};

/** A partition's messages got consecutive offsets from its base offset, in request order. */
const acknowledgementsOf = (
  prepared: readonly PreparedMessage[],
  metadata: readonly RecordMetadata[],
): Acknowledgement[] => {
  /** The next offset of each topic-partition of the request. */
  const nextOffsets = new Map<string, () => string>();
  for (const { topicName, partition, baseOffset } of metadata) {
    if (baseOffset === undefined) continue;
    nextOffsets.set(`${topicName}\u0000${partition}`, offsetCounter(baseOffset, prepared.length));
  }
  return prepared.map(({ topic, message }) => {
    const partition = message.partition;
    const next = nextOffsets.get(`${topic}\u0000${partition}`);
    if (partition === undefined || next === undefined) {
      throw new Error(`kafkajs acknowledged the request without an offset for ${topic}`);
    }
    return { topic, partition, offset: next() };
  });
};

/**
 * A sender that can be told its sends in progress were given up on (see
 * {@link KafkaProducer.abandonSends}).
 *
 * @example
 * ```ts
 * if ("abandonSends" in sender) sender.abandonSends();
 * ```
 */
export interface AbandonableSender extends MessageSender {
  abandonSends(): void;
}

/**
 * The idempotent producer of one cluster; see the module's comment for what a send
 * guarantees.
 *
 * @example
 * ```ts
 * const producer = new KafkaProducer(readKafkaSettings(process.env));
 * const { acknowledgements } = await producer.send([
 *   { topic: "order-events", key: "ord-1", value: json, headers: { event_type: "OrderCreated" } },
 * ]);
 * acknowledgements[0]; // { topic: "order-events", partition: 2, offset: "41" }
 * ```
 */
export class KafkaProducer implements AbandonableSender {
  readonly #settings: KafkaSettings;
  readonly #kafka: Kafka;
  readonly #maxRequestBytes: number;
  readonly #generations = new Set<Generation>();
  #current: Generation | undefined;

  constructor(settings: KafkaSettings, options: KafkaProducerOptions = {}) {
    this.#settings = settings;
    this.#kafka = new Kafka(kafkaClientConfig(settings, options));
    this.#maxRequestBytes = options.maxRequestBytes ?? DEFAULT_MAX_REQUEST_BYTES;
  }

  /** Connects ahead of the first send (optional: a send connects when needed). */
  async connect(): Promise<void> {
    const generation = this.#use();
    try {
      await this.#within(generation, generation.connected, this.#deadline(), 0);
    } catch (error) {
      this.#retire(generation);
      throw toProduceError(error, 0);
    }
  }

  /**
   * Sends the messages in order with acks = all and returns one acknowledgement per message.
   * Throws `ProduceTransientError` (send again later) or `ProducePermanentError`, both with
   * `firstUnacknowledged`; a message the broker refuses for what it is, alone, throws a
   * `MessageRefusedError` naming that message, and keeps the producer (and its id).
   */
  async send(messages: readonly OutgoingMessage[]): Promise<SendReport> {
    if (messages.length === 0) return { acknowledgements: [] };
    const deadline = this.#deadline();
    const generation = this.#use();
    const acknowledgements: Acknowledgement[] = [];
    try {
      await this.#within(generation, generation.connected, deadline, 0);
      for (const chunk of chunkMessages(messages, this.#maxRequestBytes)) {
        const sent = await this.#sendChunk(generation, prepare(chunk), deadline, acknowledgements);
        acknowledgements.push(...sent);
      }
      return { acknowledgements };
    } catch (error) {
      // A refused message says nothing of the producer's state, which locating it kept in
      // step with the broker's: a new producer would only cost a new connection and id.
      if (error instanceof RefusedInRequest) {
        throw refusedMessageError(error, acknowledgements, messages.length);
      }
      this.#retire(generation);
      throw toProduceError(error, acknowledgements.length);
    }
  }

  /**
   * Retires the producer the sends in progress run on, because their caller gave up on them
   * (see the module's comment): the next send starts a new producer with a new producer id,
   * and this one is disconnected once its requests settle. Nothing to do without one.
   */
  abandonSends(): void {
    if (this.#current !== undefined) this.#retire(this.#current);
  }

  /** Disconnects now, including producers still retrying abandoned requests. */
  async disconnect(): Promise<void> {
    const generations = [...this.#generations];
    this.#generations.clear();
    this.#current = undefined;
    await Promise.all(
      generations.map((generation) => {
        generation.retired = true;
        return generation.producer.disconnect().catch(() => undefined);
      }),
    );
  }

  /**
   * Sends one request. When the broker refuses it for what a message is, finds that message
   * (`locateRefusedMessage`) and throws `RefusedInRequest`; when no message is refused alone,
   * every message got acknowledged on the way, and the request succeeded after all.
   */
  async #sendChunk(
    generation: Generation,
    prepared: readonly PreparedMessage[],
    deadline: number,
    before: readonly Acknowledgement[],
  ): Promise<Acknowledgement[]> {
    try {
      return await this.#sendRequest(generation, prepared, deadline, before.length);
    } catch (error) {
      if (!isMessageRefusal(error)) throw error;
      return everyAcknowledged(
        await this.#locateRefused(generation, prepared, deadline, before, error),
      );
    }
  }

  /**
   * Sends parts of a refused request again on the same producer, recording each part's
   * acknowledgements, until the refused message is found. Rejects with `RefusedInRequest`, or
   * with a typed error that counts the messages acknowledged so far; resolves with every
   * message acknowledged.
   */
  async #locateRefused(
    generation: Generation,
    prepared: readonly PreparedMessage[],
    deadline: number,
    before: readonly Acknowledgement[],
    refusal: unknown,
  ): Promise<readonly (Acknowledgement | undefined)[]> {
    const acknowledgements: (Acknowledgement | undefined)[] = prepared.map(() => undefined);
    const send = async (positions: readonly number[]) => {
      const part = positions.map((position) => prepared[position] as PreparedMessage);
      const first = before.length + leadingCount(acknowledgements);
      const sent = await this.#sendRequest(generation, part, deadline, first);
      positions.forEach((position, index) => {
        acknowledgements[position] = sent[index];
      });
    };
    const groups = partitionGroups(
      prepared.map(({ topic, message }) => ({ topic, partition: message.partition })),
    );
    let refused: RefusedMessage | undefined;
    try {
      refused = await locateRefusedMessage(groups, { send, isRefusal: isMessageRefusal, refusal });
    } catch (error) {
      throw toProduceError(error, before.length + leadingCount(acknowledgements));
    }
    if (refused !== undefined) throw new RefusedInRequest(refused, acknowledgements);
    return acknowledgements;
  }

  async #sendRequest(
    generation: Generation,
    prepared: readonly PreparedMessage[],
    deadline: number,
    firstIndex: number,
  ): Promise<Acknowledgement[]> {
    const request = generation.producer.sendBatch({
      acks: -1,
      // The broker's wait for acks, as the Java client does: the same as the request timeout.
      timeout: this.#settings.requestTimeoutMs,
      topicMessages: groupByTopic(prepared),
    });
    const metadata = await this.#within(generation, request, deadline, firstIndex);
    return acknowledgementsOf(prepared, metadata);
  }

  #deadline(): number {
    return performance.now() + this.#settings.sendTimeoutMs;
  }

  /** Awaits `work` until the deadline; the work counts as running on `generation` until it settles. */
  async #within<T>(
    generation: Generation,
    work: Promise<T>,
    deadline: number,
    firstUnacknowledged: number,
  ): Promise<T> {
    generation.inFlight += 1;
    const settled = () => {
      generation.inFlight -= 1;
      this.#disconnectWhenIdle(generation);
    };
    work.then(settled, settled);
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(
        () => reject(new ProduceTimeoutError(this.#settings.sendTimeoutMs, firstUnacknowledged)),
        Math.max(0, deadline - performance.now()),
      );
    });
    try {
      return await Promise.race([work, expired]);
    } finally {
      clearTimeout(timer);
    }
  }

  #use(): Generation {
    if (this.#current !== undefined) return this.#current;
    const producer = this.#kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      // Explicit and bounded: kafkajs' idempotent default is MAX_SAFE_INTEGER retries (and,
      // through Kafka.producer(), 5 retries backing off up to 30 s); neither fits a Lambda.
      retry: retryOptions(this.#settings),
      createPartitioner: stickyPartitioner,
    });
    const connected = producer.connect();
    // Awaited by every send on this generation, which reports the failure; none is unhandled.
    connected.catch(() => undefined);
    const generation: Generation = { producer, connected, inFlight: 0, retired: false };
    this.#generations.add(generation);
    this.#current = generation;
    return generation;
  }

  #retire(generation: Generation): void {
    generation.retired = true;
    if (this.#current === generation) this.#current = undefined;
    this.#disconnectWhenIdle(generation);
  }

  #disconnectWhenIdle(generation: Generation): void {
    if (!generation.retired || generation.inFlight > 0) return;
    if (!this.#generations.delete(generation)) return;
    generation.producer.disconnect().catch(() => undefined);
  }
}
