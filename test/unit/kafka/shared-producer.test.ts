import { afterEach, describe, expect, it } from "vitest";
import { ProduceTransientError } from "../../../shared/kafka/errors";
import { readKafkaSettings } from "../../../shared/kafka/kafka-settings";
import { disconnectSharedProducers, sharedProducer } from "../../../shared/kafka/shared-producer";

// Nothing here connects: a producer opens its connection on the first send.
const settings = readKafkaSettings({ KAFKA_BROKERS: "127.0.0.1:1" });

describe("sharedProducer", () => {
  afterEach(async () => {
    await disconnectSharedProducers();
  });

  it("reuses one producer per settings across invocations", () => {
    // Act
    const first = sharedProducer(settings);
    const second = sharedProducer(readKafkaSettings({ KAFKA_BROKERS: "127.0.0.1:1" }));

    // Assess
    expect(second).toBe(first);
  });

  it("keeps producers of different settings apart", () => {
    // Act
    const first = sharedProducer(settings);
    const other = sharedProducer(readKafkaSettings({ KAFKA_BROKERS: "127.0.0.1:2" }));

    // Assess
    expect(other).not.toBe(first);
  });

  it("starts afresh after disconnecting the shared producers", async () => {
    // Prepare
    const before = sharedProducer(settings);

    // Act
    await disconnectSharedProducers();
    const after = sharedProducer(settings);

    // Assess
    expect(after).not.toBe(before);
  });

  it("acknowledges an empty send without touching the network", async () => {
    // Act
    const report = await sharedProducer(settings).send([]);

    // Assess
    expect(report).toEqual({ acknowledgements: [] });
  });

  it("never starts a send given up on while kafkajs loads", async () => {
    // Prepare
    const producer = sharedProducer(settings);
    const message = { topic: "order-events", key: "ord-1", value: "{}" };

    // Act
    const sending = producer.send([message]);
    producer.abandonSends();

    // Assess
    await expect(sending).rejects.toThrow(ProduceTransientError);
    await expect(sending).rejects.toMatchObject({
      message: "The send was given up on before it started",
      firstUnacknowledged: 0,
    });
  });
});
