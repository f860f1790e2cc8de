/**
 * One producer per Lambda execution environment, kept in module scope so warm invocations
 * reuse its connections and producer id instead of paying a connect (TLS, SASL, metadata,
 * InitProducerId) on every call. Keyed by the settings, so two functions bundled together
 * with different settings never share one. The producer renews its kafkajs producer (and its
 * producer id) after a failed send by itself, and after a send its caller gave up on
 * (`abandonSends`), so a cached entry stays usable after the broker comes back.
 *
 * @example
 * ```ts
 * const settings = readKafkaSettings(process.env);
 * export const handler = async () => {
 *   await sharedProducer(settings).send(messages);
 * };
 * ```
 */
import { KafkaProducer, type KafkaProducerOptions } from "./kafka-producer";
import type { KafkaSettings } from "./kafka-settings";

const producers = new Map<string, KafkaProducer>();

/** The producer for these settings; `options` apply when it is first created. */
export const sharedProducer = (
  settings: KafkaSettings,
  options?: KafkaProducerOptions,
): KafkaProducer => {
  const key = JSON.stringify(settings);
  let producer = producers.get(key);
  if (producer === undefined) {
    producer = new KafkaProducer(settings, options);
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
