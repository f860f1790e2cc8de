import { logLevel } from "kafkajs";
import { describe, expect, it } from "vitest";
import { kafkaClientConfig } from "../../../shared/kafka/kafka-client-config";
import { readKafkaSettings } from "../../../shared/kafka/kafka-settings";

describe("kafkaClientConfig", () => {
  it("is plaintext without SASL for the local broker, with bounded timeouts and retries", () => {
    // Prepare
    const settings = readKafkaSettings({ KAFKA_BROKERS: "127.0.0.1:9092", KAFKA_CLIENT_ID: "t" });

    // Act
    const config = kafkaClientConfig(settings);

    // Assess
    expect(config).toMatchObject({
      clientId: "t",
      brokers: ["127.0.0.1:9092"],
      ssl: false,
      connectionTimeout: 3_000,
      requestTimeout: 10_000,
      enforceRequestTimeout: true,
      retry: { retries: 5, maxRetryTime: 2_000 },
      logLevel: logLevel.ERROR,
    });
    expect(config.sasl).toBeUndefined();
  });

  it("uses TLS and SASL OAUTHBEARER with the token provider for MSK IAM", async () => {
    // Prepare
    const settings = readKafkaSettings({
      KAFKA_BROKERS: "b-1.msk.example:9098",
      KAFKA_AUTH: "iam",
      AWS_REGION: "eu-west-1",
    });

    // Act
    const config = kafkaClientConfig(settings, {
      oauthBearerProvider: async () => ({ value: "signed-token" }),
    });

    // Assess
    expect(config.ssl).toBe(true);
    expect(config.sasl).toMatchObject({ mechanism: "oauthbearer" });
    const sasl = config.sasl;
    if (sasl === undefined || !("oauthBearerProvider" in sasl)) {
      throw new Error("expected SASL OAUTHBEARER");
    }
    await expect(sasl.oauthBearerProvider()).resolves.toEqual({ value: "signed-token" });
  });
});
