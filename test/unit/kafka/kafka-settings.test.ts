import { describe, expect, it } from "vitest";
import { ConfigurationError } from "../../../shared/config";
import { readKafkaSettings } from "../../../shared/kafka/kafka-settings";

describe("readKafkaSettings", () => {
  it("defaults to plaintext without auth and bounded timeouts", () => {
    // Act
    const settings = readKafkaSettings({ KAFKA_BROKERS: "127.0.0.1:9092" });

    // Assess
    expect(settings).toEqual({
      brokers: ["127.0.0.1:9092"],
      auth: "none",
      tls: false,
      region: undefined,
      clientId: "msk-order-events",
      connectTimeoutMs: 3_000,
      requestTimeoutMs: 10_000,
      sendTimeoutMs: 20_000,
      sendRetries: 5,
    });
  });

  it("splits and trims the broker list and takes the Lambda's name as client id", () => {
    // Act
    const settings = readKafkaSettings({
      KAFKA_BROKERS: " b-1.msk.example:9098, b-2.msk.example:9098 ,",
      AWS_LAMBDA_FUNCTION_NAME: "outbox-relay",
    });

    // Assess
    expect(settings.brokers).toEqual(["b-1.msk.example:9098", "b-2.msk.example:9098"]);
    expect(settings.clientId).toBe("outbox-relay");
  });

  it("forces TLS on with IAM auth, even when KAFKA_TLS says false", () => {
    // Act
    const settings = readKafkaSettings({
      KAFKA_BROKERS: "b-1.msk.example:9098",
      KAFKA_AUTH: "iam",
      KAFKA_TLS: "false",
      AWS_REGION: "eu-west-1",
    });

    // Assess
    expect(settings.auth).toBe("iam");
    expect(settings.tls).toBe(true);
    expect(settings.region).toBe("eu-west-1");
  });

  it("takes TLS, client id, timeouts and retries from the environment", () => {
    // Act
    const settings = readKafkaSettings({
      KAFKA_BROKERS: "kafka:9093",
      KAFKA_TLS: "true",
      KAFKA_CLIENT_ID: "orders",
      KAFKA_CONNECT_TIMEOUT_MS: "500",
      KAFKA_REQUEST_TIMEOUT_MS: "2000",
      KAFKA_SEND_TIMEOUT_MS: "4000",
      KAFKA_SEND_RETRIES: "2",
    });

    // Assess
    expect(settings).toMatchObject({
      tls: true,
      clientId: "orders",
      connectTimeoutMs: 500,
      requestTimeoutMs: 2_000,
      sendTimeoutMs: 4_000,
      sendRetries: 2,
    });
  });

  it("fails fast naming KAFKA_BROKERS when it is missing", () => {
    // Act
    const read = () => readKafkaSettings({});

    // Assess
    expect(read).toThrow(ConfigurationError);
    expect(read).toThrow("KAFKA_BROKERS is required");
  });

  it.each([
    ["KAFKA_BROKERS", { KAFKA_BROKERS: "no-port" }],
    ["KAFKA_BROKERS", { KAFKA_BROKERS: " , " }],
    ["KAFKA_AUTH", { KAFKA_BROKERS: "k:9092", KAFKA_AUTH: "scram" }],
    ["KAFKA_TLS", { KAFKA_BROKERS: "k:9092", KAFKA_TLS: "maybe" }],
    ["KAFKA_REQUEST_TIMEOUT_MS", { KAFKA_BROKERS: "k:9092", KAFKA_REQUEST_TIMEOUT_MS: "0" }],
    ["KAFKA_SEND_TIMEOUT_MS", { KAFKA_BROKERS: "k:9092", KAFKA_SEND_TIMEOUT_MS: "9999999" }],
    ["KAFKA_SEND_RETRIES", { KAFKA_BROKERS: "k:9092", KAFKA_SEND_RETRIES: "0" }],
  ])("names %s when it is malformed", (variable, environment) => {
    // Act
    const read = () => readKafkaSettings(environment);

    // Assess
    expect(read).toThrow(ConfigurationError);
    expect(read).toThrow(variable);
  });

  it("requires AWS_REGION with IAM auth", () => {
    // Act
    const read = () => readKafkaSettings({ KAFKA_BROKERS: "k:9098", KAFKA_AUTH: "iam" });

    // Assess
    expect(read).toThrow(/AWS_REGION: is required when KAFKA_AUTH=iam/);
  });
});
