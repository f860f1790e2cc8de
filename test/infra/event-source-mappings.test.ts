import { describe, expect, it } from "vitest";
import { consumerFunctionOf, systemWiring } from "../../infra/wiring/system-wiring";
import type { KafkaTrigger, StreamTrigger } from "../../infra/wiring/types";
import { synthesizeSystem } from "./support/synthesize-system";
import { functionResource, resourceAt, resourcesOfType } from "./support/template-queries";

const system = synthesizeSystem();

const withKafkaTrigger = systemWiring.functions.flatMap((fn) =>
  fn.trigger?.kind === "kafka"
    ? [{ name: fn.name, trigger: fn.trigger, timeoutSeconds: fn.timeoutSeconds }]
    : [],
);
const withStreamTrigger = systemWiring.functions.flatMap((fn) =>
  fn.trigger?.kind === "dynamodb-stream" ? [{ name: fn.name, trigger: fn.trigger }] : [],
);

const kafkaMappingOf = (name: string) =>
  resourceAt(
    system.application,
    "AWS::Lambda::EventSourceMapping",
    `${name}/KafkaTrigger/Resource/Resource`,
  );
const streamMappingOf = (name: string) =>
  resourceAt(
    system.application,
    "AWS::Lambda::EventSourceMapping",
    `${name}/StreamTrigger/Resource/Resource`,
  );

const encodedFilters = (trigger: KafkaTrigger | StreamTrigger) =>
  trigger.filters.length === 0
    ? undefined
    : { Filters: trigger.filters.map((pattern) => ({ Pattern: JSON.stringify(pattern) })) };

describe("MSK event source mappings", () => {
  it("builds one mapping per declared trigger, and no other", () => {
    // Act
    const mappings = resourcesOfType(system.application, "AWS::Lambda::EventSourceMapping");

    // Assess
    expect(withKafkaTrigger.length).toBeGreaterThan(0);
    expect(mappings).toHaveLength(withKafkaTrigger.length + withStreamTrigger.length);
  });

  it.each(withKafkaTrigger)("$name reads its topic, from the cluster, into its function", (fn) => {
    // Act
    const { properties } = kafkaMappingOf(fn.name);

    // Assess
    expect(properties).toMatchObject({
      EventSourceArn: { "Fn::ImportValue": expect.stringMatching(/KafkaCluster.*Arn/) },
      Topics: [fn.trigger.topic],
      FunctionName: { Ref: functionResource(system.application, fn.name).logicalId },
      AmazonManagedKafkaEventSourceConfig: { ConsumerGroupId: fn.trigger.consumerGroupId },
      StartingPosition: fn.trigger.startingPosition,
      BatchSize: fn.trigger.batchSize,
      MaximumBatchingWindowInSeconds: fn.trigger.maximumBatchingWindowSeconds,
    });
  });

  it.each(withKafkaTrigger)("$name filters on the record value as declared", (fn) => {
    // Act
    const { properties } = kafkaMappingOf(fn.name);

    // Assess
    expect(properties.FilterCriteria).toEqual(encodedFilters(fn.trigger));
    for (const filter of fn.trigger.filters) expect(Object.keys(filter)).toEqual(["value"]);
  });

  it("filters each event type's consumer on that type", () => {
    // Act
    const filtered = withKafkaTrigger.filter((fn) => fn.trigger.filters.length > 0);

    // Assess: one consumer per event type the wiring routes, filtered on exactly that type
    expect(filtered.map((fn) => fn.name)).toEqual(Object.values(consumerFunctionOf));
    for (const [eventType, name] of Object.entries(consumerFunctionOf)) {
      expect(kafkaMappingOf(name).properties.FilterCriteria).toEqual({
        Filters: [{ Pattern: JSON.stringify({ value: { event_type: [eventType] } }) }],
      });
    }
  });

  it("gives every mapping its own consumer group", () => {
    // Act
    const groups = resourcesOfType(system.application, "AWS::Lambda::EventSourceMapping").flatMap(
      ([, mapping]) => {
        const config = mapping.Properties?.AmazonManagedKafkaEventSourceConfig as
          | { ConsumerGroupId: string }
          | undefined;
        return config === undefined ? [] : [config.ConsumerGroupId];
      },
    );

    // Assess
    expect(groups).toHaveLength(withKafkaTrigger.length);
    expect(new Set(groups).size).toBe(groups.length);
  });

  it.each(withKafkaTrigger)("$name applies its declared mode", (fn) => {
    // Prepare
    const { mode } = fn.trigger;

    // Act
    const { properties } = kafkaMappingOf(fn.name);

    // Assess
    if (mode.kind === "on-demand") {
      expect(properties.ProvisionedPollerConfig).toBeUndefined();
      expect(properties.DestinationConfig).toBeUndefined();
      return;
    }
    expect(properties).toMatchObject({
      ProvisionedPollerConfig: {
        MinimumPollers: mode.minimumPollers,
        MaximumPollers: mode.maximumPollers,
      },
      MaximumRetryAttempts: mode.retryAttempts,
      MaximumRecordAgeInSeconds: mode.maximumRecordAgeSeconds,
      BisectBatchOnFunctionError: mode.bisectBatchOnError,
      FunctionResponseTypes: mode.reportBatchItemFailures ? ["ReportBatchItemFailures"] : undefined,
      DestinationConfig: { OnFailure: { Destination: `kafka://${mode.onFailureTopic}` } },
      MetricsConfig: { Metrics: ["EventCount"] },
    });
    expect(mode.onFailureTopic).not.toBe(fn.trigger.topic);
  });

  it("retries boundedly and reports partial batch failures on every provisioned consumer", () => {
    // Act
    const provisioned = withKafkaTrigger.filter((fn) => fn.trigger.mode.kind === "provisioned");

    // Assess
    expect(provisioned.map((fn) => fn.name)).toEqual([
      ...Object.values(consumerFunctionOf),
      "unrouted-events",
    ]);
    for (const fn of provisioned) {
      const { properties } = kafkaMappingOf(fn.name);
      expect(properties.MaximumRetryAttempts).toBeGreaterThanOrEqual(0);
      expect(properties.FunctionResponseTypes).toEqual(["ReportBatchItemFailures"]);
      expect(properties.DestinationConfig).toEqual({
        OnFailure: { Destination: "kafka://order-events.on-failure" },
      });
    }
  });

  it.each(withKafkaTrigger)(
    "$name's own bound on transient failures comes before Lambda's, and well before the topic's retention",
    (fn) => {
      // Prepare
      const { mode } = fn.trigger;
      const variables = (
        functionResource(system.application, fn.name).properties.Environment as {
          Variables: Record<string, string>;
        }
      ).Variables;
      const boundSeconds = Number(variables.CONSUMER_TRANSIENT_MAX_AGE_SECONDS);
      const floorMs = Number(variables.CONSUMER_FAILED_BATCH_MIN_MS);
      const topic = systemWiring.topics.find(({ name }) => name === fn.trigger.topic);

      // Act
      const { properties } = kafkaMappingOf(fn.name);

      // Assess: the bound, then at least an hour, then Lambda's record age; and Lambda's
      // retries, each at least the floor, cannot run out before that age
      expect(boundSeconds).toBe(5 * 3600);
      expect(boundSeconds * 4).toBeLessThan((topic?.retentionHours ?? 0) * 3600);
      if (mode.kind === "on-demand") return;
      const retries = properties.MaximumRetryAttempts as number;
      const ageSeconds = properties.MaximumRecordAgeInSeconds as number;
      expect(retries).toBe(10_000);
      expect(ageSeconds).toBe(6 * 3600);
      expect(ageSeconds - boundSeconds).toBeGreaterThanOrEqual(3600);
      expect(retries * floorMs).toBeGreaterThanOrEqual(ageSeconds * 1000);
      expect(floorMs).toBeLessThan(fn.timeoutSeconds * 1000);
    },
  );

  it("creates the mapping only after the function's grants exist", () => {
    // Prepare
    const [first] = withKafkaTrigger;
    if (first === undefined) throw new Error("no Kafka trigger declared");
    const policy = resourceAt(
      system.application,
      "AWS::IAM::Policy",
      `${first.name}/Role/DefaultPolicy/Resource`,
    );

    // Act
    const mapping = resourcesOfType(system.application, "AWS::Lambda::EventSourceMapping").find(
      ([logicalId]) => logicalId === kafkaMappingOf(first.name).logicalId,
    );

    // Assess
    expect(mapping?.[1].DependsOn).toContain(policy.logicalId);
  });
});

describe("DynamoDB Streams event source mapping of the relay", () => {
  const relays: { name: string; trigger: StreamTrigger }[] = withStreamTrigger;

  it("is declared for the outbox relay only", () => {
    // Assess
    expect(relays.map((fn) => fn.name)).toEqual(["outbox-relay"]);
  });

  it.each(relays)("$name reads the declared table's stream, outbox INSERTs only", (fn) => {
    // Act
    const { properties } = streamMappingOf(fn.name);

    // Assess
    expect(properties).toMatchObject({
      EventSourceArn: { "Fn::GetAtt": [expect.stringMatching(/^Tablesorders/), "StreamArn"] },
      FunctionName: { Ref: functionResource(system.application, fn.name).logicalId },
      FilterCriteria: {
        Filters: [
          {
            Pattern: JSON.stringify({
              eventName: ["INSERT"],
              dynamodb: { Keys: { sk: { S: [{ prefix: "OUTBOX#" }] } } },
            }),
          },
        ],
      },
    });
    expect(properties.FilterCriteria).toEqual(encodedFilters(fn.trigger));
  });

  it.each(relays)(
    "$name keeps order and retries until its records' maximum age, as declared",
    (fn) => {
      // Act
      const { properties } = streamMappingOf(fn.name);

      // Assess
      expect(properties).toMatchObject({
        StartingPosition: fn.trigger.startingPosition,
        BatchSize: fn.trigger.batchSize,
        MaximumBatchingWindowInSeconds: fn.trigger.maximumBatchingWindowSeconds,
        ParallelizationFactor: 1,
        MaximumRetryAttempts: fn.trigger.retryAttempts,
        MaximumRecordAgeInSeconds: fn.trigger.maximumRecordAgeSeconds,
        BisectBatchOnFunctionError: fn.trigger.bisectBatchOnError,
        FunctionResponseTypes: ["ReportBatchItemFailures"],
        MetricsConfig: { Metrics: ["EventCount"] },
      });
      // Only the record's age ends the retries, before the stream's 24 h retention trims it.
      expect(properties.MaximumRetryAttempts).toBe(-1);
      expect(fn.trigger.maximumRecordAgeSeconds).toBe(20 * 3600);
      expect(fn.trigger.maximumRecordAgeSeconds).toBeLessThanOrEqual(24 * 3600);
    },
  );

  it.each(relays)("$name sends exhausted batches to the declared S3 bucket", (fn) => {
    // Act
    const { properties } = streamMappingOf(fn.name);

    // Assess
    expect(properties.DestinationConfig).toEqual({
      OnFailure: {
        Destination: { "Fn::GetAtt": [expect.stringMatching(/^Bucketsoutboxdeadletters/), "Arn"] },
      },
    });
  });
});
