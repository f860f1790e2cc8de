/**
 * docs/developer-tools.md, "LocalStack and other endpoints": one rule says which AWS endpoints
 * are on this machine (a loopback host on any port), which is the project's moto, and where
 * each service's clients go (`AWS_ENDPOINT_URL_<SERVICE>`, else `AWS_ENDPOINT_URL`).
 */
import { describe, expect, it } from "vitest";
import {
  awsClientConfig,
  awsServiceEndpoint,
  awsServiceEndpoints,
  isLocalMotoEndpoint,
  isLoopbackEndpoint,
} from "../../infra/local/services/aws-endpoints";
import { readServiceSettings } from "../../infra/local/services/service-settings";

const services = readServiceSettings({}, "/repo");

describe("isLoopbackEndpoint", () => {
  it.each([
    "http://127.0.0.1:4566",
    "http://localhost:4566",
    "http://LOCALHOST:4566/",
    "http://localhost.:4566",
    "http://localhost:4567",
    "http://127.0.0.53:9000",
    "http://127.1:4566",
    "http://[::1]:4566",
    "https://localhost",
  ])("counts %s as on this machine", (endpoint) => {
    // Act
    const local = isLoopbackEndpoint(endpoint);

    // Assess
    expect(local).toBe(true);
  });

  it.each([
    "https://dynamodb.eu-west-1.amazonaws.com",
    "http://localhost.localstack.cloud:4566",
    "http://127.0.0.1.example.com:4566",
    "http://localhost-proxy:4566",
    "http://10.0.0.5:4566",
    "http://[::2]:4566",
    "not a url",
  ])("does not count %s", (endpoint) => {
    // Act
    const local = isLoopbackEndpoint(endpoint);

    // Assess
    expect(local).toBe(false);
  });
});

describe("isLocalMotoEndpoint", () => {
  it("is moto's port on an address moto listens on", () => {
    // Prepare
    const elsewhere = readServiceSettings({ LOCAL_MOTO_PORT: "14566" }, "/repo");

    // Act
    const results = {
      byAddress: isLocalMotoEndpoint("http://127.0.0.1:4566", services),
      byName: isLocalMotoEndpoint("http://localhost:4566/", services),
      otherPort: isLocalMotoEndpoint("http://localhost:4567", services),
      otherLoopback: isLocalMotoEndpoint("http://127.0.0.2:4566", services),
      configuredPort: isLocalMotoEndpoint("http://localhost:14566", elsewhere),
    };

    // Assess
    expect(results).toEqual({
      byAddress: true,
      byName: true,
      otherPort: false,
      otherLoopback: false,
      configuredPort: true,
    });
  });
});

describe("awsServiceEndpoint", () => {
  it("prefers the service's own variable to AWS_ENDPOINT_URL, as the SDK does", () => {
    // Prepare
    const env = {
      AWS_ENDPOINT_URL: "http://localhost:4566",
      AWS_ENDPOINT_URL_S3: "http://localhost:4567",
      AWS_ENDPOINT_URL_DYNAMODB_STREAMS: "",
      HOME: "/home/dev",
    };

    // Act
    const s3 = awsServiceEndpoint(env, "S3");
    const dynamodb = awsServiceEndpoint(env, "DYNAMODB");
    const streams = awsServiceEndpoint(env, "DYNAMODB_STREAMS");
    const none = awsServiceEndpoint({}, "S3");

    // Assess
    expect(s3).toBe("http://localhost:4567");
    expect(dynamodb).toBe("http://localhost:4566");
    expect(streams).toBe("http://localhost:4566");
    expect(none).toBeUndefined();
    expect(awsServiceEndpoints(env)).toEqual({ AWS_ENDPOINT_URL_S3: "http://localhost:4567" });
  });
});

describe("awsClientConfig", () => {
  it("gives a loopback endpoint dummy credentials and S3 by path, any other the SDK's own", () => {
    // Act
    const localS3 = awsClientConfig("http://localhost:4566", "S3", "eu-west-1");
    const localDynamo = awsClientConfig("http://[::1]:4566", "DYNAMODB", "eu-west-1");
    const remoteS3 = awsClientConfig("http://localhost.localstack.cloud:4566", "S3", "eu-west-1");
    const aws = awsClientConfig(undefined, "DYNAMODB", "eu-west-1");

    // Assess
    expect(localS3).toEqual({
      region: "eu-west-1",
      endpoint: "http://localhost:4566",
      credentials: { accessKeyId: "local", secretAccessKey: "local" },
      forcePathStyle: true,
    });
    expect(localDynamo.credentials).toBeDefined();
    expect(localDynamo).not.toHaveProperty("forcePathStyle");
    expect(remoteS3).toEqual({
      region: "eu-west-1",
      endpoint: "http://localhost.localstack.cloud:4566",
      forcePathStyle: false,
    });
    expect(aws).toEqual({ region: "eu-west-1" });
  });
});
