import { describe, expect, it } from "vitest";
import { localFunctionEnvironment } from "../../../infra/local/runtime/function-environment";
import { readRuntimeSettings } from "../../../infra/local/runtime/runtime-settings";
import { ServiceClients } from "../../../infra/local/runtime/service-clients";
import { readServiceSettings } from "../../../infra/local/services/service-settings";
import { systemWiring } from "../../../infra/wiring/system-wiring";

const services = readServiceSettings({}, "/repo");
const declaration = (name: string) => {
  const found = systemWiring.functions.find((fn) => fn.name === name);
  if (found === undefined) throw new Error(`no function ${name}`);
  return found;
};
const names = {
  tableName: (name: string) => `local-${name}`,
  bucketName: (name: string) => `b-${name}`,
};

describe("functionEnvironment", () => {
  it("gives a consumer its settings, tables, Kafka connection and consumer mode, and nothing else", () => {
    // Prepare
    const settings = readRuntimeSettings(
      { SECRET_OF_THE_RUNTIME: "x", POWERTOOLS_LOG_LEVEL: "DEBUG" },
      services,
    );

    // Act
    const env = localFunctionEnvironment(declaration("order-shipped"), settings, names);

    // Assess
    expect(env).toMatchObject({
      POWERTOOLS_SERVICE_NAME: "order-shipped",
      POWERTOOLS_METRICS_NAMESPACE: "OrderEvents",
      READ_MODEL_TABLE_NAME: "local-order-read-model",
      KAFKA_BROKERS: "127.0.0.1:9092",
      KAFKA_AUTH: "none",
      KAFKA_TLS: "false",
      CONSUMER_MODE: "provisioned",
      AWS_ENDPOINT_URL: "http://127.0.0.1:4566",
      AWS_REGION: "us-east-1",
      AWS_ACCESS_KEY_ID: "local",
      POWERTOOLS_LOG_LEVEL: "DEBUG",
    });
    expect(env.SECRET_OF_THE_RUNTIME).toBeUndefined();
    expect(env.ORDERS_TABLE_NAME).toBeUndefined();
  });

  it("gives the relay its bucket and no consumer mode", () => {
    // Act
    const env = localFunctionEnvironment(
      declaration("outbox-relay"),
      readRuntimeSettings({}, services),
      names,
    );

    // Assess
    expect(env.DEAD_LETTER_BUCKET_NAME).toBe("b-outbox-dead-letters");
    expect(env.S3_FORCE_PATH_STYLE).toBe("true");
    expect(env.CONSUMER_MODE).toBeUndefined();
  });

  it("points at other endpoints and never hands real credentials to moto", () => {
    // Act
    const remote = readRuntimeSettings(
      {
        AWS_ENDPOINT_URL: "http://localhost.localstack.cloud:4566",
        KAFKA_BROKERS: "b-1:9098",
        KAFKA_AUTH: "iam",
        AWS_ACCESS_KEY_ID: "AKIA",
      },
      services,
    );
    const local = readRuntimeSettings(
      { AWS_ACCESS_KEY_ID: "AKIA", AWS_SESSION_TOKEN: "t" },
      services,
    );

    // Assess
    expect(remote).toMatchObject({ usesLocalAws: false, usesLocalKafka: false, kafkaAuth: "iam" });
    expect(
      localFunctionEnvironment(declaration("orders-api"), remote, names).AWS_ACCESS_KEY_ID,
    ).toBe("AKIA");
    expect(local.passThrough).toMatchObject({ AWS_ACCESS_KEY_ID: "local" });
    expect(local.passThrough.AWS_SESSION_TOKEN).toBeUndefined();
  });

  it("treats any loopback endpoint as local: test credentials and S3 by path, moto on its port", () => {
    // Act
    const localhost = readRuntimeSettings(
      { AWS_ENDPOINT_URL: "http://localhost:4566", AWS_ACCESS_KEY_ID: "AKIA", AWS_PROFILE: "p" },
      services,
    );
    const otherPort = readRuntimeSettings({ AWS_ENDPOINT_URL: "http://[::1]:4567" }, services);
    const env = localFunctionEnvironment(declaration("outbox-relay"), localhost, names);

    // Assess
    expect(localhost).toMatchObject({ usesLocalAws: true, awsIsLocal: true });
    expect(otherPort).toMatchObject({ usesLocalAws: false, awsIsLocal: true });
    expect(env).toMatchObject({
      AWS_ENDPOINT_URL: "http://localhost:4566",
      AWS_ACCESS_KEY_ID: "local",
      S3_FORCE_PATH_STYLE: "true",
    });
    expect(env.AWS_PROFILE).toBeUndefined();
  });

  it("passes AWS_ENDPOINT_URL_<SERVICE> through, S3 by path only where S3 is local", () => {
    // Act
    const settings = readRuntimeSettings(
      {
        AWS_ENDPOINT_URL_DYNAMODB: "http://127.0.0.1:8000",
        AWS_ENDPOINT_URL_S3: "https://s3.eu-west-1.amazonaws.com",
        AWS_ACCESS_KEY_ID: "AKIA",
      },
      services,
    );
    const env = localFunctionEnvironment(declaration("outbox-relay"), settings, names);

    // Assess
    expect(settings).toMatchObject({ usesLocalAws: true, awsIsLocal: false });
    expect(env).toMatchObject({
      AWS_ENDPOINT_URL: "http://127.0.0.1:4566",
      AWS_ENDPOINT_URL_DYNAMODB: "http://127.0.0.1:8000",
      AWS_ENDPOINT_URL_S3: "https://s3.eu-west-1.amazonaws.com",
      AWS_ACCESS_KEY_ID: "AKIA",
    });
    expect(env.S3_FORCE_PATH_STYLE).toBeUndefined();
  });

  it("fails fast naming a malformed AWS_ENDPOINT_URL_<SERVICE>", () => {
    // Act
    const read = () => readRuntimeSettings({ AWS_ENDPOINT_URL_S3: "localhost:4566" }, services);

    // Assess
    expect(read).toThrow(/AWS_ENDPOINT_URL_S3/);
  });

  it("sends the runtime's own clients to each service's endpoint", async () => {
    // Prepare
    const settings = readRuntimeSettings(
      {
        AWS_ENDPOINT_URL: "http://localhost:4566",
        AWS_ENDPOINT_URL_S3: "http://localhost:4567",
        AWS_ENDPOINT_URL_DYNAMODB_STREAMS: "http://localhost.localstack.cloud:4566",
      },
      services,
    );

    // Act
    const clients = new ServiceClients(settings);
    const endpoints = {
      dynamodb: await clients.dynamodb.config.endpoint?.(),
      streams: await clients.streams.config.endpoint?.(),
      s3: await clients.s3.config.endpoint?.(),
    };
    const s3Credentials = await clients.s3.config.credentials();
    clients.destroy();

    // Assess
    expect(endpoints.dynamodb).toMatchObject({ hostname: "localhost", port: 4566 });
    expect(endpoints.streams).toMatchObject({ hostname: "localhost.localstack.cloud" });
    expect(endpoints.s3).toMatchObject({ hostname: "localhost", port: 4567 });
    expect(clients.s3.config.forcePathStyle).toBe(true);
    expect(s3Credentials.accessKeyId).toBe("local");
  });
});
