import { describe, expect, it } from "vitest";
import { systemWiring } from "../../infra/wiring/system-wiring";
import { synthesizeSystem } from "./support/synthesize-system";
import { functionResource, resourceAt } from "./support/template-queries";

const system = synthesizeSystem();
const consumers = systemWiring.functions.flatMap((fn) =>
  fn.trigger?.kind === "kafka" ? [{ name: fn.name, mode: fn.trigger.mode.kind }] : [],
);
const producers = systemWiring.functions.filter((fn) => (fn.access.kafka?.produceTo ?? []).length);

describe("functions", () => {
  it("builds exactly one Lambda function per declared function", () => {
    // Act
    const functions = system.application.findResources("AWS::Lambda::Function");

    // Assess
    expect(Object.keys(functions)).toHaveLength(systemWiring.functions.length);
  });

  it.each(systemWiring.functions)("$name runs on Node 24, arm64, with its declared size", (fn) => {
    // Act
    const { properties } = functionResource(system.application, fn.name);

    // Assess
    expect(properties).toMatchObject({
      Runtime: "nodejs24.x",
      Architectures: ["arm64"],
      Handler: "index.handler",
      MemorySize: fn.memoryMb,
      Timeout: fn.timeoutSeconds,
      TracingConfig: { Mode: "Active" },
      LoggingConfig: { LogFormat: "JSON", ApplicationLogLevel: "INFO", SystemLogLevel: "WARN" },
    });
  });

  it.each(systemWiring.functions)("$name logs to its own log group with a retention", (fn) => {
    // Prepare
    const { properties } = functionResource(system.application, fn.name);
    const logGroup = resourceAt(
      system.application,
      "AWS::Logs::LogGroup",
      `${fn.name}/Logs/Resource`,
    );

    // Assess
    expect(properties.LoggingConfig).toMatchObject({ LogGroup: { Ref: logGroup.logicalId } });
    expect(logGroup.properties.RetentionInDays).toBe(30);
  });

  it.each(systemWiring.functions)(
    "$name gets its declared environment and physical names",
    (fn) => {
      // Act
      const { properties } = functionResource(system.application, fn.name);
      const variables = (properties.Environment as { Variables: Record<string, unknown> })
        .Variables;

      // Assess
      expect(variables).toMatchObject({
        ...fn.environment,
        POWERTOOLS_METRICS_NAMESPACE: "OrderEvents",
        // No --enable-source-maps (its cost at every cold start); no kafkajs timer warnings.
        NODE_OPTIONS: "--disable-warning=TimeoutNegativeWarning",
      });
      for (const table of fn.access.tables ?? []) {
        expect(variables[table.environmentVariable]).toEqual({
          Ref: expect.stringMatching(/^Tables/),
        });
      }
      for (const bucket of fn.access.buckets ?? []) {
        expect(variables[bucket.environmentVariable]).toEqual({
          Ref: expect.stringMatching(/^Buckets/),
        });
      }
    },
  );

  it.each(systemWiring.functions.filter((fn) => fn.access.kafka))(
    "$name gets the MSK connection settings (IAM auth over TLS)",
    (fn) => {
      // Act
      const { properties } = functionResource(system.application, fn.name);

      // Assess
      expect(properties.Environment).toMatchObject({
        Variables: {
          KAFKA_BROKERS: {
            "Fn::ImportValue": expect.stringMatching("BootstrapBrokerStringSaslIam"),
          },
          KAFKA_AUTH: "iam",
          KAFKA_TLS: "true",
        },
      });
    },
  );

  it("keeps functions without Kafka access free of Kafka settings", () => {
    // Prepare
    const withoutKafka = systemWiring.functions.filter((fn) => fn.access.kafka === undefined);

    // Act
    const variables = withoutKafka.map(
      (fn) => functionResource(system.application, fn.name).properties.Environment,
    );

    // Assess
    expect(withoutKafka.length).toBeGreaterThan(0);
    for (const environment of variables) {
      expect(Object.keys((environment as { Variables: object }).Variables)).not.toContain(
        "KAFKA_BROKERS",
      );
    }
  });

  it.each(consumers)("$name knows its mapping's consumer mode ($mode)", (fn) => {
    // Act
    const { properties } = functionResource(system.application, fn.name);

    // Assess
    expect(properties.Environment).toMatchObject({
      Variables: { CONSUMER_MODE: fn.mode },
    });
  });

  it.each(consumers)(
    "$name gets the bounds on transient failures derived from its mapping",
    (fn) => {
      // Act
      const { properties } = functionResource(system.application, fn.name);

      // Assess: 5 h of the mapping's 6 h record age; 10,000 retries x 2.16 s = 6 h
      expect(properties.Environment).toMatchObject({
        Variables: {
          CONSUMER_TRANSIENT_MAX_AGE_SECONDS: "18000",
          CONSUMER_FAILED_BATCH_MIN_MS: fn.mode === "provisioned" ? "2160" : "0",
        },
      });
    },
  );

  it.each(producers)("$name, a Kafka producer, runs in the VPC's isolated subnets", (fn) => {
    // Act
    const { properties } = functionResource(system.application, fn.name);

    // Assess
    expect(properties.VpcConfig).toEqual({
      SecurityGroupIds: [{ "Fn::ImportValue": expect.stringMatching("KafkaClientSecurityGroup") }],
      SubnetIds: [
        { "Fn::ImportValue": expect.stringMatching("privateSubnet1") },
        { "Fn::ImportValue": expect.stringMatching("privateSubnet2") },
      ],
    });
  });

  it("keeps functions that do not talk to Kafka outside the VPC", () => {
    // Act
    const { properties } = functionResource(system.application, "orders-api");

    // Assess
    expect(properties.VpcConfig).toBeUndefined();
  });
});
