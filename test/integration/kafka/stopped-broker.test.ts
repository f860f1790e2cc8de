/**
 * Producing to a broker that went away fails with the typed transient error within the send
 * deadline, and the same producer works again once the broker is back. Uses a second broker
 * of its own (other ports, its own state folder), never the shared one.
 */
import { logLevel } from "kafkajs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ProduceTimeoutError, ProduceTransientError } from "../../../shared/kafka/errors";
import { KafkaProducer } from "../../../shared/kafka/kafka-producer";
import { readKafkaSettings } from "../../../shared/kafka/kafka-settings";
import { createTopics, testKafkaClient } from "../../support/kafka-topics";
import { type SecondBroker, startSecondBroker } from "../../support/second-broker";

const SEND_TIMEOUT_MS = 6_000;
/** Shorter than kafkajs' own retries against a stopped broker, so the deadline decides. */
const HASTY_SEND_TIMEOUT_MS = 1_000;

describe("producing to a stopped broker", () => {
  let second: SecondBroker;
  let producer: KafkaProducer;
  let hasty: KafkaProducer;
  const topic = "stopped-broker-events";

  beforeAll(async () => {
    second = await startSecondBroker();
    await createTopics(testKafkaClient([second.endpoint]), [{ topic, numPartitions: 1 }]);
    producer = new KafkaProducer(
      readKafkaSettings({
        KAFKA_BROKERS: second.endpoint,
        KAFKA_CLIENT_ID: "stopped-broker-it",
        KAFKA_CONNECT_TIMEOUT_MS: "1000",
        KAFKA_REQUEST_TIMEOUT_MS: "2000",
        KAFKA_SEND_TIMEOUT_MS: String(SEND_TIMEOUT_MS),
      }),
      { logLevel: logLevel.NOTHING },
    );
    hasty = new KafkaProducer(
      readKafkaSettings({
        KAFKA_BROKERS: second.endpoint,
        KAFKA_CLIENT_ID: "stopped-broker-hasty-it",
        KAFKA_SEND_TIMEOUT_MS: String(HASTY_SEND_TIMEOUT_MS),
      }),
      { logLevel: logLevel.NOTHING },
    );
  }, 120_000);

  afterAll(async () => {
    await producer?.disconnect();
    await hasty?.disconnect();
    await second?.dispose();
  }, 60_000);

  it("fails with the typed transient error before the deadline, then recovers", async () => {
    // Prepare: connected, one message acknowledged, then the broker stops
    await Promise.all([producer.connect(), hasty.connect()]);
    const before = await producer.send([{ topic, key: "k", value: "before" }]);
    await second.broker.down();

    // Act
    const error = await producer
      .send([{ topic, key: "k", value: "while down" }])
      .catch((caught: unknown) => caught);

    // Assess
    expect(before.acknowledgements).toEqual([{ topic, partition: 0, offset: "0" }]);
    expect(error).toBeInstanceOf(ProduceTransientError);
    expect(error).toMatchObject({ permanent: false, firstUnacknowledged: 0 });

    // Act: a deadline shorter than kafkajs' retries
    const timedOut = await hasty
      .send([{ topic, key: "k", value: "in a hurry" }])
      .catch((caught: unknown) => caught);

    // Assess
    expect(timedOut).toBeInstanceOf(ProduceTimeoutError);
    expect(timedOut).toBeInstanceOf(ProduceTransientError);

    // Act: the broker comes back; the same producer sends again
    await second.broker.up(() => undefined);
    const after = await producer.send([{ topic, key: "k", value: "after" }]);

    // Assess
    expect(after.acknowledgements).toHaveLength(1);
    expect(after.acknowledgements[0]?.topic).toBe(topic);
  }, 120_000);
});
