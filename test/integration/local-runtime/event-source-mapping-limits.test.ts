/**
 * docs/architecture.md ("Lambda event sources"): what Lambda refuses when a mapping is created, refused by the local mappings
 * too: more than 5 filter patterns, a batch size above 10,000, a batching window above
 * 300 s, and (Kafka) an on-failure topic that is the source topic.
 */
import { DynamoDBStreamsClient } from "@aws-sdk/client-dynamodb-streams";
import { S3Client } from "@aws-sdk/client-s3";
import { describe, expect, it } from "vitest";
import { createKafkaEventSource } from "../../../infra/local/runtime/kafka-event-source";
import { memoryCheckpoints } from "../../../infra/local/runtime/stream-checkpoints";
import { createStreamEventSource } from "../../../infra/local/runtime/stream-event-source";
import { InvalidEventSourceMappingError } from "../../../infra/wiring/mapping-limits";
import type { FilterPattern, StreamTrigger } from "../../../infra/wiring/types";
import { testKafkaClient } from "../../support/kafka-topics";
import { awsClientConfig } from "../../support/local-endpoints";
import { kafkaTrigger, provisionedMode } from "./harness";

const sixFilters: FilterPattern[] = Array.from({ length: 6 }, (_, index) => ({
  value: { event_type: [`Type${index}`] },
}));

const issuesOf = (create: () => unknown): readonly string[] => {
  try {
    create();
  } catch (error) {
    if (error instanceof InvalidEventSourceMappingError) return error.issues;
    throw error;
  }
  return [];
};

describe.concurrent("local event source mappings: what Lambda refuses (docs/architecture.md, Lambda event sources)", () => {
  it("Kafka — limits: at most 5 filters, batch size 1 to 10,000, window up to 300 s, on-failure topic not the source", () => {
    // Prepare
    const createWith = (trigger: ReturnType<typeof kafkaTrigger>) => () =>
      createKafkaEventSource({
        functionName: "refused",
        trigger,
        kafka: testKafkaClient(),
        bootstrapServers: "127.0.0.1:9092",
        region: "us-east-1",
        invoke: () => Promise.reject(new Error("never invoked")),
        log: () => undefined,
      });

    // Act
    const refused = issuesOf(
      createWith(
        kafkaTrigger("orders", {
          filters: sixFilters,
          batchSize: 10_001,
          maximumBatchingWindowSeconds: 301,
          mode: provisionedMode("orders"),
        }),
      ),
    );
    const atTheLimits = issuesOf(
      createWith(
        kafkaTrigger("orders", {
          filters: sixFilters.slice(0, 5),
          batchSize: 10_000,
          maximumBatchingWindowSeconds: 300,
          mode: provisionedMode("orders.on-failure"),
        }),
      ),
    );

    // Assess
    expect(refused).toHaveLength(4);
    expect(refused.join("\n")).toMatch(/6 patterns/);
    expect(refused.join("\n")).toMatch(/batch size 10001/);
    expect(refused.join("\n")).toMatch(/batching window 301/);
    expect(refused.join("\n")).toMatch(/on-failure topic orders is the source topic/);
    expect(atTheLimits).toEqual([]);
    expect(issuesOf(createWith(kafkaTrigger("orders", { batchSize: 0 })))).toHaveLength(1);
  });

  it("Streams — limits: at most 5 filters, batch size 1 to 10,000, window up to 300 s", () => {
    // Prepare
    const trigger: StreamTrigger = {
      kind: "dynamodb-stream",
      table: "orders",
      filters: Array.from({ length: 6 }, () => ({ eventName: ["INSERT"] })),
      batchSize: 10_001,
      maximumBatchingWindowSeconds: 301,
      startingPosition: "TRIM_HORIZON",
      retryAttempts: 3,
      maximumRecordAgeSeconds: -1,
      bisectBatchOnError: false,
      reportBatchItemFailures: true,
      parallelizationFactor: 1,
      onFailure: { kind: "s3", bucket: "dead-letters" },
    };
    const createWith = (overrides: Partial<StreamTrigger>) => () =>
      createStreamEventSource({
        functionName: "refused",
        trigger: { ...trigger, ...overrides },
        streamArn: "arn:aws:dynamodb:us-east-1:000000000000:table/orders/stream/local",
        streams: new DynamoDBStreamsClient(awsClientConfig),
        s3: new S3Client(awsClientConfig),
        onFailureBucket: "dead-letters",
        region: "us-east-1",
        checkpoints: memoryCheckpoints(),
        invoke: () => Promise.reject(new Error("never invoked")),
        log: () => undefined,
      });

    // Act
    const refused = issuesOf(createWith({}));
    const accepted = issuesOf(
      createWith({
        filters: trigger.filters.slice(0, 5),
        batchSize: 10_000,
        maximumBatchingWindowSeconds: 300,
      }),
    );

    // Assess
    expect(refused).toHaveLength(3);
    expect(accepted).toEqual([]);
  });
});
