/**
 * The lag report's arithmetic and text: a partition's lag from its offsets (no commit, a
 * commit below the start), the rows the table and the console show, and the Kafka settings
 * the command reads MSK with (`test/integration/dev-tools/lag.test.ts` runs the command).
 */
import { describe, expect, it } from "vitest";
import {
  describeMappingLag,
  formatLagTable,
  type KafkaMappingLag,
  lagKafkaSettings,
  partitionLag,
  type StreamMappingLag,
} from "../../../infra/local/dev-tools/lag-report";
import { kafkaClientConfig } from "../../../shared/kafka/kafka-client-config";

const kafkaMapping: KafkaMappingLag = {
  kind: "kafka",
  functionName: "order-created",
  topic: "order-events",
  groupId: "order-created-v1",
  partitions: [partitionLag(0, null, 0, 3), partitionLag(1, 12, 0, 12)],
  totalLag: 3,
  note: null,
};

const streamMapping: StreamMappingLag = {
  kind: "dynamodb-stream",
  functionName: "outbox-relay",
  table: "orders",
  streamArn: "arn:aws:dynamodb:us-east-1:123456789012:table/orders/stream/x",
  shards: [
    {
      shardId: "shardId-1",
      parentShardId: null,
      checkpoint: "200",
      latestSequenceNumber: "200",
      recordsBehind: 0,
      recordsBehindIsLowerBound: false,
      atEnd: true,
      problem: null,
    },
    {
      shardId: "shardId-2",
      parentShardId: "shardId-1",
      checkpoint: null,
      latestSequenceNumber: "300",
      recordsBehind: 4,
      recordsBehindIsLowerBound: true,
      atEnd: false,
      problem: null,
    },
  ],
  recordsBehind: 4,
  atEnd: false,
  note: null,
};

describe("partitionLag", () => {
  it.each([
    ["no commit: everything from the start", null, 0, 7, 7],
    ["no commit on a trimmed partition: from its start", null, 5, 7, 2],
    ["committed part of the way", 4, 0, 7, 3],
    ["committed to the end", 7, 0, 7, 0],
    ["committed below the start (retention removed records)", 2, 5, 7, 2],
    ["an empty partition", null, 0, 0, 0],
  ])("%s", (_, committed, start, end, lag) => {
    // Act / Assess
    expect(partitionLag(3, committed, start, end)).toEqual({
      partition: 3,
      committed,
      start,
      end,
      lag,
    });
  });
});

describe("describeMappingLag", () => {
  it("says 'no commit' for a partition the group never committed on", () => {
    // Act
    const described = describeMappingLag(kafkaMapping);

    // Assess
    expect(described).toEqual({
      functionName: "order-created",
      source: "group order-created-v1 on order-events",
      rows: [
        { label: "partition 0", position: "no commit / 3", behind: "3" },
        { label: "partition 1", position: "12 / 12", behind: "0" },
      ],
      total: "lag 3",
    });
  });

  it("says per shard whether it is at the end, and how many records are left (at least)", () => {
    // Act
    const described = describeMappingLag(streamMapping);

    // Assess
    expect(described.rows).toEqual([
      { label: "shard shardId-1", position: "checkpoint 200", behind: "at end" },
      { label: "shard shardId-2", position: "checkpoint none", behind: "4+ records left" },
    ]);
    expect(described.total).toBe("4+ records left");
  });

  it("says which shard could not be read, and why, and counts the rest as a lower bound", () => {
    // Prepare
    const unreadable = {
      shardId: "shardId-3",
      parentShardId: "shardId-2",
      checkpoint: "350",
      latestSequenceNumber: null,
      recordsBehind: 0,
      recordsBehindIsLowerBound: true,
      atEnd: false,
      problem: "TrimmedDataAccessException: the records were trimmed",
    };

    // Act
    const described = describeMappingLag({
      ...streamMapping,
      shards: [...streamMapping.shards, unreadable],
    });
    const table = formatLagTable({
      readAt: "2026-12-02T13:00:00.000Z",
      mappings: [{ ...streamMapping, shards: [unreadable] }],
      problems: ["outbox-relay: shard shardId-3 of orders: TrimmedDataAccessException: ..."],
    });

    // Assess
    expect(described.rows.at(-1)).toEqual({
      label: "shard shardId-3",
      position: "checkpoint 350",
      behind: "not read: TrimmedDataAccessException: the records were trimmed",
    });
    expect(described.total).toBe("4+ records left, 1 shard not read");
    expect(
      describeMappingLag({ ...streamMapping, shards: [unreadable], recordsBehind: 0 }).total,
    ).toBe("1 shard not read");
    expect(table).toContain("  shardId-3  350         none    not read\n");
  });

  it("shows a mapping's note when its topic does not exist", () => {
    // Act
    const described = describeMappingLag({
      ...kafkaMapping,
      partitions: [],
      totalLag: 0,
      note: "topic order-events does not exist",
    });

    // Assess
    expect(described).toMatchObject({ rows: [], total: "topic order-events does not exist" });
  });
});

describe("formatLagTable", () => {
  it("prints each mapping's total, then its partitions or shards in aligned columns", () => {
    // Act
    const table = formatLagTable({
      readAt: "2026-12-02T13:00:00.000Z",
      mappings: [kafkaMapping, streamMapping],
      problems: [],
    });

    // Assess
    expect(table).toBe(
      [
        "order-created  group order-created-v1 on order-events: lag 3",
        "  partition  committed  end  lag",
        "  0          no commit  3    3",
        "  1          12         12   0",
        "",
        "outbox-relay  stream of orders: 4+ records left",
        "  shard      checkpoint  latest  behind",
        "  shardId-1  200         200     at end",
        "  shardId-2  none        300     4+",
        "",
      ].join("\n"),
    );
  });
});

describe("lagKafkaSettings", () => {
  it("reads MSK with TLS and IAM tokens for the region when KAFKA_AUTH=iam", () => {
    // Act
    const settings = lagKafkaSettings({
      kafkaBrokers: "b-1.msk.example:9098,b-2.msk.example:9098",
      kafkaAuth: "iam",
      kafkaTls: false,
      region: "eu-west-1",
    });
    const config = kafkaClientConfig(settings);

    // Assess
    expect(settings).toMatchObject({ auth: "iam", region: "eu-west-1", tls: true });
    expect(config.brokers).toEqual(["b-1.msk.example:9098", "b-2.msk.example:9098"]);
    expect(config.ssl).toBe(true);
    expect(config.sasl).toMatchObject({ mechanism: "oauthbearer" });
  });

  it("reads the local broker in plaintext, without SASL", () => {
    // Act
    const config = kafkaClientConfig(
      lagKafkaSettings({
        kafkaBrokers: "127.0.0.1:9092",
        kafkaAuth: "none",
        kafkaTls: false,
        region: "us-east-1",
      }),
    );

    // Assess
    expect(config.ssl).toBe(false);
    expect(config.sasl).toBeUndefined();
  });
});
