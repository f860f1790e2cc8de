import { afterEach, describe, expect, it } from "vitest";
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
});
