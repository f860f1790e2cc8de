/**
 * moto serves DynamoDB and DynamoDB Streams to the real AWS SDK v3 clients, with the
 * transaction and stream semantics the outbox depends on, and every attribute type intact
 * through the launcher's direct serializer (`infra/local/services/moto_attribute_values.py`).
 */
import { execFileSync } from "node:child_process";
import path from "node:path";
import {
  type AttributeValue,
  CreateTableCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  TransactionCanceledException,
  TransactWriteItemsCommand,
} from "@aws-sdk/client-dynamodb";
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
} from "@aws-sdk/client-dynamodb-streams";
import { afterAll, describe, expect, it } from "vitest";
import { pythonToolsInterpreter } from "../../infra/local/services/python-tools";
import { readWholeStream } from "../support/dynamodb-streams";
import { awsClientConfig, uniqueName } from "../support/local-endpoints";

const dynamodb = new DynamoDBClient(awsClientConfig);
const streams = new DynamoDBStreamsClient(awsClientConfig);

/** A table of its own for each test, with a stream of new and old images. */
const streamTable = async (): Promise<{ tableName: string; streamArn: string }> => {
  const tableName = uniqueName("smoke");
  const created = await dynamodb.send(
    new CreateTableCommand({
      TableName: tableName,
      BillingMode: "PAY_PER_REQUEST",
      AttributeDefinitions: [
        { AttributeName: "pk", AttributeType: "S" },
        { AttributeName: "sk", AttributeType: "S" },
      ],
      KeySchema: [
        { AttributeName: "pk", KeyType: "HASH" },
        { AttributeName: "sk", KeyType: "RANGE" },
      ],
      StreamSpecification: { StreamEnabled: true, StreamViewType: "NEW_AND_OLD_IMAGES" },
    }),
  );
  const streamArn = created.TableDescription?.LatestStreamArn;
  if (streamArn === undefined) throw new Error("moto created the table without a stream");
  return { tableName, streamArn };
};

/** An order's first state and its outbox item, in one transaction. */
const placeFirstOrder = (tableName: string) =>
  dynamodb.send(
    new TransactWriteItemsCommand({
      TransactItems: [
        {
          Put: {
            TableName: tableName,
            Item: { pk: { S: "ORDER#1" }, sk: { S: "STATE" }, version: { N: "1" } },
            ConditionExpression: "attribute_not_exists(pk)",
          },
        },
        {
          Put: {
            TableName: tableName,
            Item: { pk: { S: "ORDER#1" }, sk: { S: "OUTBOX#0001" }, event: { S: "created" } },
          },
        },
      ],
    }),
  );

const PROJECT_ROOT = path.resolve(import.meta.dirname, "../..");

/** One attribute of each DynamoDB type, nested ones in a map and a list too. */
const EVERY_TYPE: Record<string, AttributeValue> = {
  text: { S: "zürich ✓" },
  emptyText: { S: "" },
  amount: { N: "-12345678901234567890.125" },
  blob: { B: Uint8Array.from([0, 255, 98]) },
  tags: { SS: ["a", "b"] },
  counts: { NS: ["1", "2.5"] },
  blobs: { BS: [Uint8Array.from([1]), Uint8Array.from([2, 3])] },
  flag: { BOOL: false },
  nothing: { NULL: true },
  emptyMap: { M: {} },
  emptyList: { L: [] },
  nested: {
    M: {
      blob: { B: Uint8Array.from([16]) },
      flag: { BOOL: true },
      list: { L: [{ S: "one" }, { N: "2" }, { M: { deep: { B: Uint8Array.from([32]) } } }] },
    },
  },
};

describe("moto DynamoDB with streams", () => {
  afterAll(() => {
    dynamodb.destroy();
    streams.destroy();
  });

  it("writes two items in one transaction and streams both INSERTs in order", async () => {
    // Prepare
    const { tableName, streamArn } = await streamTable();

    // Act
    await placeFirstOrder(tableName);
    const records = await readWholeStream(streams, streamArn);

    // Assess
    expect(records.map((record) => record.eventName)).toEqual(["INSERT", "INSERT"]);
    expect(records.map((record) => record.dynamodb?.Keys?.sk?.S)).toEqual(["STATE", "OUTBOX#0001"]);
    expect(records[1]?.dynamodb?.NewImage?.event?.S).toBe("created");
    const [first, second] = records.map((record) => BigInt(record.dynamodb?.SequenceNumber ?? "0"));
    expect(first).toBeLessThan(second ?? 0n);
  });

  it("cancels the whole transaction when one condition fails, and nothing reaches the stream", async () => {
    // Prepare
    const { tableName, streamArn } = await streamTable();
    await placeFirstOrder(tableName);

    // Act
    const attempt = dynamodb.send(
      new TransactWriteItemsCommand({
        TransactItems: [
          {
            Put: {
              TableName: tableName,
              Item: { pk: { S: "ORDER#1" }, sk: { S: "STATE" }, version: { N: "2" } },
              ConditionExpression: "version = :expected",
              ExpressionAttributeValues: { ":expected": { N: "7" } },
            },
          },
          {
            Put: {
              TableName: tableName,
              Item: { pk: { S: "ORDER#1" }, sk: { S: "OUTBOX#0002" }, event: { S: "shipped" } },
            },
          },
        ],
      }),
    );

    // Assess
    const error = await attempt.catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TransactionCanceledException);
    expect((error as TransactionCanceledException).CancellationReasons?.[0]?.Code).toBe(
      "ConditionalCheckFailed",
    );
    const records = await readWholeStream(streams, streamArn);
    expect(records.map((record) => record.dynamodb?.Keys?.sk?.S)).toEqual(["STATE", "OUTBOX#0001"]);
  });

  it("undoes a cancelled transaction's applied writes, and a stream reader keeps seeing later records", async () => {
    // Prepare: ORDER#1 exists, and a reader is positioned at the stream's end, as a poller
    // would be
    const { tableName, streamArn } = await streamTable();
    await placeFirstOrder(tableName);
    const { StreamDescription } = await streams.send(
      new DescribeStreamCommand({ StreamArn: streamArn }),
    );
    const shardId = StreamDescription?.Shards?.[0]?.ShardId;
    const iterator = (
      await streams.send(
        new GetShardIteratorCommand({
          StreamArn: streamArn,
          ShardId: shardId,
          ShardIteratorType: "LATEST",
        }),
      )
    ).ShardIterator;

    // Act: the first write applies, the second's condition fails, then a later write commits
    const cancelled = await dynamodb
      .send(
        new TransactWriteItemsCommand({
          TransactItems: [
            { Put: { TableName: tableName, Item: { pk: { S: "ORDER#2" }, sk: { S: "STATE" } } } },
            {
              Put: {
                TableName: tableName,
                Item: { pk: { S: "ORDER#1" }, sk: { S: "STATE" } },
                ConditionExpression: "attribute_not_exists(pk)",
              },
            },
          ],
        }),
      )
      .catch((error: unknown) => error);
    await dynamodb.send(
      new TransactWriteItemsCommand({
        TransactItems: [
          { Put: { TableName: tableName, Item: { pk: { S: "ORDER#3" }, sk: { S: "STATE" } } } },
        ],
      }),
    );
    const page = await streams.send(new GetRecordsCommand({ ShardIterator: iterator }));

    // Assess
    expect(cancelled).toBeInstanceOf(TransactionCanceledException);
    const written = await dynamodb.send(
      new GetItemCommand({
        TableName: tableName,
        Key: { pk: { S: "ORDER#2" }, sk: { S: "STATE" } },
        ConsistentRead: true,
      }),
    );
    expect(written.Item).toBeUndefined();
    expect((page.Records ?? []).map((record) => record.dynamodb?.Keys?.pk?.S)).toEqual(["ORDER#3"]);
  });

  it("returns every attribute type as written, from GetItem, Query and the stream's image", async () => {
    // Prepare
    const { tableName, streamArn } = await streamTable();
    const key = { pk: { S: "ORDER#1" }, sk: { S: "STATE" } };
    const item = { ...key, ...EVERY_TYPE };

    // Act
    await dynamodb.send(new PutItemCommand({ TableName: tableName, Item: item }));
    const got = await dynamodb.send(new GetItemCommand({ TableName: tableName, Key: key }));
    const queried = await dynamodb.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: "pk = :pk",
        ExpressionAttributeValues: { ":pk": key.pk },
      }),
    );
    const records = await readWholeStream(streams, streamArn);

    // Assess
    expect(got.Item).toEqual(item);
    expect(queried.Items).toEqual([item]);
    expect(records.map((record) => record.dynamodb?.NewImage)).toEqual([item]);
  });

  it("answers every operation of the check with the same JSON as moto's own serializer", () => {
    // Prepare: the check runs moto in process and serializes each answer both ways
    const check = path.join(PROJECT_ROOT, "test/support/moto_attribute_values_check.py");

    // Act
    const output = execFileSync(pythonToolsInterpreter(PROJECT_ROOT), [check], {
      encoding: "utf8",
    });

    // Assess
    const result: unknown = JSON.parse(output.trim().split("\n").at(-1) ?? "{}");
    expect(result).toEqual({
      compared: [
        "BatchGetItem",
        "CreateTable",
        "DescribeStream",
        "ExecuteStatement",
        "GetItem",
        "GetRecords",
        "GetShardIterator",
        "PutItem",
        "Query",
        "Scan",
        "TransactGetItems",
        "UpdateItem",
      ],
      differ: [],
      get_item_as_written: true,
      stream_records: 2,
      direct_values: expect.any(Number),
    });
    // Values written directly, not all handed back to moto's serializer.
    expect((result as { direct_values: number }).direct_values).toBeGreaterThan(100);
  });
});
