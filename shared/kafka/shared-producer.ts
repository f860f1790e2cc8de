/**
 * One producer per Lambda execution environment, kept in module scope so warm invocations
 * reuse its connections and producer id instead of paying a connect (TLS, SASL, metadata,
 * InitProducerId) on every call. Keyed by the settings, so two functions bundled together
 * with different settings never share one. The producer renews its kafkajs producer (and its
 * producer id) after a failed send by itself, and after a send its caller gave up on
 * (`abandonSends`), so a cached entry stays usable after the broker comes back.
 *
 * kafkajs (and the MSK IAM signer under it) is loaded on the first send or connect, not at
 * cold start: a consumer needs it only to dead-letter, which most invocations never do (see
 * docs/performance.md, "Bundles and cold start").
 *
 * @example
 * ```ts
 * const settings = readKafkaSettings(process.env);
 * export const handler = async () => {
 *   await sharedProducer(settings).send(messages);
 * };
 * ```
 */
import { ProduceTransientError } from "./errors";
import type { AbandonableSender, KafkaProducer, KafkaProducerOptions } from "./kafka-producer";
import type { KafkaSettings } from "./kafka-settings";
import type { OutgoingMessage, SendReport } from "./outgoing-message";

/**
 * A {@link KafkaProducer} created on its first use, after loading kafkajs with a dynamic
 * `import()`; until then it costs nothing at cold start. Sends as the producer does.
 *
 * @example
 * ```ts
 * const producer = new SharedProducer(readKafkaSettings(process.env));
 * await producer.send(messages); // loads kafkajs, then sends
 * ```
 */
export class SharedProducer implements AbandonableSender {
  readonly #settings: KafkaSettings;
  readonly #options: KafkaProducerOptions | undefined;
  #producer: Promise<KafkaProducer> | undefined;
  #loaded: KafkaProducer | undefined;
  /** Counts `abandonSends` calls, so a send given up on while kafkajs loaded never starts. */
  #abandoned = 0;

  constructor(settings: KafkaSettings, options?: KafkaProducerOptions) {
    this.#settings = settings;
    this.#options = options;
  }

  /** Sends as {@link KafkaProducer.send} does; an empty send loads nothing. */
  async send(messages: readonly OutgoingMessage[]): Promise<SendReport> {
    if (messages.length === 0) return { acknowledgements: [] };
    const abandonedBefore = this.#abandoned;
    const producer = await this.#load();
    if (this.#abandoned !== abandonedBefore) {
      // Its caller gave up while kafkajs loaded: nothing went out, and nothing must.
      throw new ProduceTransientError("The send was given up on before it started", {
        firstUnacknowledged: 0,
        kafkaError: undefined,
        kafkaErrorType: undefined,
      });
    }
    return producer.send(messages);
  }

  /** Connects ahead of the first send, as {@link KafkaProducer.connect} does. */
  async connect(): Promise<void> {
    await (await this.#load()).connect();
  }

  /** As {@link KafkaProducer.abandonSends}; a send still waiting for kafkajs never starts. */
  abandonSends(): void {
    this.#abandoned += 1;
    this.#loaded?.abandonSends();
  }

  /** Disconnects the producer, if it was ever created. */
  async disconnect(): Promise<void> {
    const producer = this.#producer;
    this.#producer = undefined;
    this.#loaded = undefined;
    if (producer !== undefined)
      await producer.then(
        (loaded) => loaded.disconnect(),
        () => undefined,
      );
  }

  #load(): Promise<KafkaProducer> {
    this.#producer ??= import("./kafka-producer").then(
      ({ KafkaProducer: Producer }) => {
        this.#loaded = new Producer(this.#settings, this.#options);
        return this.#loaded;
      },
      (error: unknown) => {
        this.#producer = undefined;
        throw error;
      },
    );
    return this.#producer;
  }
}

const producers = new Map<string, SharedProducer>();

/** The producer for these settings; `options` apply when it is first created. */
export const sharedProducer = (
  settings: KafkaSettings,
  options?: KafkaProducerOptions,
): SharedProducer => {
  const key = JSON.stringify(settings);
  let producer = producers.get(key);
  if (producer === undefined) {
    producer = new SharedProducer(settings, options);
    producers.set(key, producer);
  }
  return producer;
};

/** Disconnects and forgets every shared producer (tests; a process that ends cleanly). */
export const disconnectSharedProducers = async (): Promise<void> => {
  const all = [...producers.values()];
  producers.clear();
  await Promise.all(all.map((producer) => producer.disconnect()));
};
