import type { AwsCredentialIdentity } from "@smithy/types";
import {
  generateAuthToken,
  generateAuthTokenFromCredentialsProvider,
} from "aws-msk-iam-sasl-signer-js";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { generateMskAuthToken } from "../../../shared/kafka/msk-iam-signer";

/** The clock both signers read; mid-second, so the whole-second X-Amz-Date shows. */
const NOW = Date.UTC(2026, 11, 2, 18, 4, 5, 678);
const REGION = "eu-west-1";

const decoded = (token: string): URL => new URL(Buffer.from(token, "base64url").toString("utf-8"));

describe("generateMskAuthToken", () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(NOW);
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllEnvs();
  });

  it.each<[string, AwsCredentialIdentity]>([
    ["long-term keys", { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret/with+chars=" }],
    [
      "a session token",
      {
        accessKeyId: "ASIAEXAMPLE",
        secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
        sessionToken: "IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLWVhc3QtMSJHMEUCIQ==",
      },
    ],
    [
      "credentials that expire within 15 minutes",
      {
        accessKeyId: "ASIAEXAMPLE",
        secretAccessKey: "secret",
        sessionToken: "token",
        expiration: new Date(NOW + 600_250),
      },
    ],
  ])("signs the library's token byte for byte, with %s", async (_case, credentials) => {
    // Prepare
    const provider = async () => credentials;

    // Act
    const ours = await generateMskAuthToken({ region: REGION, credentials: provider });
    const library = await generateAuthTokenFromCredentialsProvider({
      region: REGION,
      awsCredentialsProvider: provider,
    });

    // Assess
    expect(ours).toEqual(library);
  });

  it("presigns kafka-cluster:Connect on the regional host for 15 minutes", async () => {
    // Prepare
    const credentials = async () => ({ accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret" });

    // Act
    const { token, expiryTime } = await generateMskAuthToken({ region: REGION, credentials });

    // Assess
    const url = decoded(token);
    expect(token).not.toMatch(/[=+/]/);
    expect(url.host).toBe("kafka.eu-west-1.amazonaws.com");
    expect(url.searchParams.get("Action")).toBe("kafka-cluster:Connect");
    expect(url.searchParams.get("X-Amz-Credential")).toBe(
      "AKIDEXAMPLE/20261202/eu-west-1/kafka-cluster/aws4_request",
    );
    expect(url.searchParams.get("X-Amz-Date")).toBe("20261202T180405Z");
    expect(url.searchParams.get("X-Amz-Expires")).toBe("900");
    expect(url.searchParams.get("User-Agent")).toMatch(/^aws-msk-iam-sasl-signer-js\//);
    expect(expiryTime).toBe(Date.UTC(2026, 11, 2, 18, 19, 5));
  });

  it("reads the default credential chain as the library does", async () => {
    // Prepare
    vi.stubEnv("AWS_PROFILE", undefined);
    vi.stubEnv("AWS_ACCESS_KEY_ID", "AKIDFROMENV");
    vi.stubEnv("AWS_SECRET_ACCESS_KEY", "secret-from-env");
    vi.stubEnv("AWS_SESSION_TOKEN", "session-from-env");

    // Act
    const ours = await generateMskAuthToken({ region: REGION });
    const library = await generateAuthToken({ region: REGION });

    // Assess
    expect(ours).toEqual(library);
    expect(decoded(ours.token).searchParams.get("X-Amz-Security-Token")).toBe("session-from-env");
  });

  it("refuses credentials without keys", async () => {
    // Prepare
    const credentials = async () => ({ accessKeyId: "", secretAccessKey: "" });

    // Act
    const signing = generateMskAuthToken({ region: REGION, credentials });

    // Assess
    await expect(signing).rejects.toThrow("AWS credentials cannot be empty");
  });
});
