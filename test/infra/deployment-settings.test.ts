import { describe, expect, it } from "vitest";
import {
  DeploymentSettingsError,
  readDeploymentSettings,
} from "../../infra/stacks/deployment-settings";

const fromContext =
  (context: Record<string, unknown>) =>
  (key: string): unknown =>
    context[key];

describe("readDeploymentSettings", () => {
  it("defaults to a small, IAM-protected deployment in two AZs", () => {
    // Act
    const settings = readDeploymentSettings(fromContext({}));

    // Assess
    expect(settings).toEqual({
      availabilityZones: undefined,
      brokerInstanceType: "kafka.t3.small",
      brokersPerAz: 1,
      brokerVolumeGiB: 20,
      apiAuthorization: "iam",
      apiRateLimit: 50,
      apiBurstLimit: 100,
      logRetentionDays: 30,
      alarmEmail: undefined,
    });
  });

  it("reads `-c key=value` strings as the knobs' types", () => {
    // Act
    const settings = readDeploymentSettings(
      fromContext({
        availabilityZones: "eu-west-1a, eu-west-1b,eu-west-1c",
        brokerInstanceType: "kafka.m7g.large",
        brokersPerAz: "2",
        logRetentionDays: "90",
        alarmEmail: "ops@example.com",
      }),
    );

    // Assess
    expect(settings).toMatchObject({
      availabilityZones: ["eu-west-1a", "eu-west-1b", "eu-west-1c"],
      brokerInstanceType: "kafka.m7g.large",
      brokersPerAz: 2,
      logRetentionDays: 90,
      alarmEmail: "ops@example.com",
    });
  });

  it("fails the synth naming every bad knob", () => {
    // Act
    const read = () =>
      readDeploymentSettings(
        fromContext({
          brokerInstanceType: "t3.small",
          logRetentionDays: "42",
          apiAuthorization: "open",
        }),
      );

    // Assess
    expect(read).toThrow(DeploymentSettingsError);
    expect(read).toThrow(/"brokerInstanceType".*"apiAuthorization".*"logRetentionDays"/);
  });

  it("needs at least two AZs for the cluster", () => {
    // Assess
    expect(() => readDeploymentSettings(fromContext({ availabilityZones: "eu-west-1a" }))).toThrow(
      /"availabilityZones"/,
    );
  });
});
