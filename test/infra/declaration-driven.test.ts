import { describe, expect, it } from "vitest";
import { systemWiring } from "../../infra/wiring/system-wiring";
import type { FunctionDeclaration, SystemWiring } from "../../infra/wiring/types";
import { FICTIONAL_EVENT_TYPE } from "../support/fictional-event-type";
import { synthesizeSystem } from "./support/synthesize-system";
import {
  asArray,
  functionResource,
  policyStatementsOf,
  resourceAt,
  resourcesOfType,
} from "./support/template-queries";

/** A new event type's consumer, declared the way `system-wiring.ts` declares the others. */
const orderRefunded: FunctionDeclaration = {
  name: "zz-fictional-consumer",
  description: `Applies ${FICTIONAL_EVENT_TYPE} events to the read model`,
  // Any existing handler bundles; these tests do not bundle at all.
  entry: "functions/order-created/handler.ts",
  memoryMb: 256,
  timeoutSeconds: 20,
  environment: {
    POWERTOOLS_SERVICE_NAME: "zz-fictional-consumer",
    DEAD_LETTER_TOPIC: "order-events.dlq",
  },
  access: {
    tables: [
      {
        table: "order-read-model",
        actions: ["PutItem", "UpdateItem"],
        environmentVariable: "READ_MODEL_TABLE_NAME",
      },
    ],
    kafka: { consumeFrom: ["order-events"], produceTo: ["order-events.dlq"] },
  },
  trigger: {
    kind: "kafka",
    topic: "order-events",
    consumerGroupId: "zz-fictional-consumer-v1",
    filters: [{ value: { event_type: [FICTIONAL_EVENT_TYPE] } }],
    batchSize: 50,
    maximumBatchingWindowSeconds: 2,
    startingPosition: "LATEST",
    mode: { kind: "on-demand" },
  },
};

const extended: SystemWiring = {
  ...systemWiring,
  functions: [...systemWiring.functions, orderRefunded],
};

describe("one more consumer in the declaration", () => {
  const before = synthesizeSystem();
  const after = synthesizeSystem({ wiring: extended });
  const count = (system: typeof before, type: string) =>
    resourcesOfType(system.application, type).length;

  it("adds its function, role and log group", () => {
    // Assess
    for (const type of ["AWS::Lambda::Function", "AWS::IAM::Role", "AWS::IAM::Policy"]) {
      expect(count(after, type)).toBe(count(before, type) + 1);
    }
    expect(functionResource(after.application, "zz-fictional-consumer").properties).toMatchObject({
      MemorySize: 256,
      Timeout: 20,
      Environment: { Variables: { CONSUMER_MODE: "on-demand", KAFKA_AUTH: "iam" } },
    });
  });

  it("adds its mapping, in on-demand mode as declared", () => {
    // Act
    const { properties } = resourceAt(
      after.application,
      "AWS::Lambda::EventSourceMapping",
      "zz-fictional-consumer/KafkaTrigger/Resource/Resource",
    );

    // Assess
    expect(count(after, "AWS::Lambda::EventSourceMapping")).toBe(
      count(before, "AWS::Lambda::EventSourceMapping") + 1,
    );
    expect(properties).toMatchObject({
      Topics: ["order-events"],
      AmazonManagedKafkaEventSourceConfig: { ConsumerGroupId: "zz-fictional-consumer-v1" },
      StartingPosition: "LATEST",
      BatchSize: 50,
      FilterCriteria: {
        Filters: [{ Pattern: `{"value":{"event_type":["${FICTIONAL_EVENT_TYPE}"]}}` }],
      },
    });
    for (const provisionedOnly of [
      "ProvisionedPollerConfig",
      "DestinationConfig",
      "FunctionResponseTypes",
      "MaximumRetryAttempts",
    ]) {
      expect(properties[provisionedOnly]).toBeUndefined();
    }
  });

  it("adds its grants: its group, its topics, its table", () => {
    // Act
    const rendered = JSON.stringify(policyStatementsOf(after.application, "zz-fictional-consumer"));
    const actions = policyStatementsOf(after.application, "zz-fictional-consumer").flatMap(
      (statement) => asArray(statement.Action),
    );

    // Assess
    expect(rendered).toContain("/zz-fictional-consumer-v1");
    expect(rendered).toContain("/order-events.dlq");
    expect(rendered).toContain("Tablesorderreadmodel");
    expect(actions).toEqual(
      expect.arrayContaining(["kafka-cluster:ReadData", "kafka-cluster:AlterGroup"]),
    );
    expect(rendered).not.toContain("order-events.on-failure");
  });

  it("adds its alarms: errors, throttles, lag and dead letters", () => {
    // Assess
    expect(count(after, "AWS::CloudWatch::Alarm")).toBe(
      count(before, "AWS::CloudWatch::Alarm") + 4,
    );
  });
});
