/**
 * docs/architecture.md ("Lambda event sources"), DynamoDB Streams event source mapping, against moto's real DynamoDB Streams
 * API: the event, batch size, filters, partial batch responses and checkpoints, retries with
 * the S3 on-failure destination, and checkpoints that survive a restart.
 */
import { join } from "node:path";
import { DeleteItemCommand, PutItemCommand, UpdateItemCommand } from "@aws-sdk/client-dynamodb";
import { DynamoDBStreamsClient } from "@aws-sdk/client-dynamodb-streams";
import { describe, it, type TestContext } from "vitest";
import {
  fileCheckpoints,
  memoryCheckpoints,
} from "../../../infra/local/runtime/stream-checkpoints";
import { mappingPosition } from "../../../infra/local/runtime/stream-event-source";
import { readWholeStream } from "../../support/dynamodb-streams";
import { awsClientConfig } from "../../support/local-endpoints";
import { testScratchDirectory } from "../../support/scratch-directory";
import {
  type StreamFixture,
  scriptedFunction,
  sequenceNumbers,
  startStreamMapping,
  streamBatches,
  streamFixture,
  streamTrigger,
  waitFor,
} from "./harness";

const put = (fixture: StreamFixture, pk: string, sk: string, extra: Record<string, string> = {}) =>
  fixture.dynamodb.send(
    new PutItemCommand({
      TableName: fixture.tableName,
      Item: {
        pk: { S: pk },
        sk: { S: sk },
        ...Object.fromEntries(Object.entries(extra).map(([name, value]) => [name, { S: value }])),
      },
    }),
  );

/** Puts `count` items one after the other, so the stream holds them in that order. */
const putItems = async (fixture: StreamFixture, prefix: string, count: number) => {
  for (let index = 0; index < count; index += 1) await put(fixture, prefix, `item#${index}`);
};

const streamSequenceNumbers = async (fixture: StreamFixture): Promise<string[]> =>
  (await readWholeStream(fixture.streams, fixture.streamArn)).map(
    (record) => record.dynamodb?.SequenceNumber ?? "",
  );

const deliveredSequenceNumbers = (fn: ReturnType<typeof scriptedFunction>): string[] =>
  streamBatches(fn).flatMap(sequenceNumbers);

/**
 * The fixture, read through a client on which the records of items with partition key `pk`
 * were created `ageSeconds` before moto says: their age no longer depends on the clock.
 */
const withRecordsAged = (
  test: TestContext,
  fixture: StreamFixture,
  pk: string,
  ageSeconds: number,
): StreamFixture => {
  const streams = new DynamoDBStreamsClient(awsClientConfig);
  test.onTestFinished(() => streams.destroy());
  streams.middlewareStack.add(
    (next) => async (args) => {
      const result = await next(args);
      if (!("Records" in result.output)) return result;
      for (const { dynamodb } of result.output.Records ?? []) {
        const created = dynamodb?.ApproximateCreationDateTime;
        if (dynamodb?.Keys?.pk?.S !== pk || created === undefined) continue;
        dynamodb.ApproximateCreationDateTime = new Date(created.getTime() - ageSeconds * 1000);
      }
      return result;
    },
    { step: "initialize", name: "ageRecords" },
  );
  return { ...fixture, streams };
};

describe.concurrent("local DynamoDB Streams event source mapping (docs/architecture.md, Lambda event sources)", () => {
  it("Streams — event shape: Records with aws:dynamodb, ARN, region, eventName, Keys, images, SequenceNumber, StreamViewType, creation time in epoch seconds", async (ctx) => {
    const { expect } = ctx;
    // Prepare: an insert, a modify and a remove of one item
    const fixture = await streamFixture(ctx, "NEW_AND_OLD_IMAGES");
    const startedAt = Date.now() / 1000;
    await put(fixture, "order#1", "state", { status: "created" });
    await fixture.dynamodb.send(
      new UpdateItemCommand({
        TableName: fixture.tableName,
        Key: { pk: { S: "order#1" }, sk: { S: "state" } },
        UpdateExpression: "SET #status = :status",
        ExpressionAttributeNames: { "#status": "status" },
        ExpressionAttributeValues: { ":status": { S: "shipped" } },
      }),
    );
    await fixture.dynamodb.send(
      new DeleteItemCommand({
        TableName: fixture.tableName,
        Key: { pk: { S: "order#1" }, sk: { S: "state" } },
      }),
    );
    const fn = scriptedFunction(ctx);

    // Act
    await startStreamMapping(ctx, fn, fixture, streamTrigger(fixture));
    await waitFor("3 stream records", () => deliveredSequenceNumbers(fn).length >= 3);

    // Assess
    const invocations = fn.invocations<Record<string, unknown>>();
    for (const { event } of invocations) expect(Object.keys(event)).toEqual(["Records"]);
    const records = streamBatches(fn).flat();
    expect(records.map((record) => record.eventName)).toEqual(["INSERT", "MODIFY", "REMOVE"]);
    const keys = { pk: { S: "order#1" }, sk: { S: "state" } };
    for (const record of records) {
      expect(record).toMatchObject({
        eventSource: "aws:dynamodb",
        eventSourceARN: fixture.streamArn,
        awsRegion: "us-east-1",
        dynamodb: { Keys: keys, StreamViewType: "NEW_AND_OLD_IMAGES" },
      });
      expect(typeof record.eventID).toBe("string");
      expect(record.dynamodb?.SequenceNumber).toMatch(/^\d+$/);
      expect(typeof record.dynamodb?.SizeBytes).toBe("number");
      const created = record.dynamodb?.ApproximateCreationDateTime;
      expect(Number.isInteger(created)).toBe(true);
      expect(created).toBeGreaterThanOrEqual(Math.floor(startedAt) - 60);
      expect(created).toBeLessThanOrEqual(Date.now() / 1000 + 60);
    }
    const [inserted, modified, removed] = records;
    expect(inserted?.dynamodb?.NewImage).toEqual({ ...keys, status: { S: "created" } });
    expect(inserted?.dynamodb).not.toHaveProperty("OldImage");
    expect(modified?.dynamodb?.OldImage).toEqual({ ...keys, status: { S: "created" } });
    expect(modified?.dynamodb?.NewImage).toEqual({ ...keys, status: { S: "shipped" } });
    expect(removed?.dynamodb?.OldImage).toEqual({ ...keys, status: { S: "shipped" } });
    expect(removed?.dynamodb).not.toHaveProperty("NewImage");
  });

  it("Streams — batch size bounds every batch, records in stream order, each once", async (ctx) => {
    const { expect } = ctx;
    // Prepare
    const fixture = await streamFixture(ctx);
    await putItems(fixture, "order#b", 7);
    const expected = await streamSequenceNumbers(fixture);
    const fn = scriptedFunction(ctx);

    // Act
    await startStreamMapping(ctx, fn, fixture, streamTrigger(fixture, { batchSize: 3 }));
    await waitFor("7 stream records", () => deliveredSequenceNumbers(fn).length >= 7);

    // Assess
    const batches = streamBatches(fn);
    expect(batches.map((batch) => batch.length)).toEqual([3, 3, 1]);
    expect(deliveredSequenceNumbers(fn)).toEqual(expected);
  });

  it("Streams — filters on eventName and a dynamodb.Keys.sk.S prefix; filtered-out records are checkpointed", async (ctx) => {
    const { expect } = ctx;
    // Prepare: inserts, an update and a delete, of outbox items and others
    const fixture = await streamFixture(ctx);
    await put(fixture, "order#f", "outbox#0001");
    await put(fixture, "order#f", "state");
    await fixture.dynamodb.send(
      new UpdateItemCommand({
        TableName: fixture.tableName,
        Key: { pk: { S: "order#f" }, sk: { S: "outbox#0001" } },
        UpdateExpression: "SET published = :yes",
        ExpressionAttributeValues: { ":yes": { S: "yes" } },
      }),
    );
    await put(fixture, "order#g", "outbox#0001");
    await put(fixture, "order#g", "xoutbox#0002");
    await fixture.dynamodb.send(
      new DeleteItemCommand({
        TableName: fixture.tableName,
        Key: { pk: { S: "order#f" }, sk: { S: "outbox#0001" } },
      }),
    );
    const all = await streamSequenceNumbers(fixture);
    const [shardId] = await fixture.shardIds();
    const checkpoints = memoryCheckpoints();
    const fn = scriptedFunction(ctx);

    // Act
    await startStreamMapping(
      ctx,
      fn,
      fixture,
      streamTrigger(fixture, {
        filters: [
          { eventName: ["INSERT"], dynamodb: { Keys: { sk: { S: [{ prefix: "outbox#" }] } } } },
        ],
      }),
      checkpoints,
    );
    await waitFor(
      "the checkpoint at the last (filtered-out) record",
      () =>
        checkpoints.get(mappingPosition(fn.name, fixture.streamArn), shardId ?? "") === all.at(-1),
    );

    // Assess
    const records = streamBatches(fn).flat();
    expect(
      records.map((record) => [
        record.eventName,
        record.dynamodb?.Keys?.pk?.S,
        record.dynamodb?.Keys?.sk?.S,
      ]),
    ).toEqual([
      ["INSERT", "order#f", "outbox#0001"],
      ["INSERT", "order#g", "outbox#0001"],
    ]);
    expect(sequenceNumbers(records)).toEqual([all[0], all[3]]);
  });

  it("Streams — partial batch response: checkpoint before the lowest failed record, retry from it in order", async (ctx) => {
    const { expect } = ctx;
    // Prepare: five records; the function reports the 4th and the 3rd, then succeeds
    const fixture = await streamFixture(ctx);
    await putItems(fixture, "order#p", 5);
    const seq = await streamSequenceNumbers(fixture);
    const failures = (...numbers: (string | undefined)[]) => ({
      action: "respond" as const,
      response: { batchItemFailures: numbers.map((itemIdentifier) => ({ itemIdentifier })) },
    });
    const fn = scriptedFunction(ctx, {
      script: { action: "sequence", steps: [failures(seq[3], seq[2]), { action: "succeed" }] },
    });
    const [shardId = ""] = await fixture.shardIds();
    const checkpoints = memoryCheckpoints();

    // Act 1: retried from the lowest failed record, in order
    await startStreamMapping(ctx, fn, fixture, streamTrigger(fixture), checkpoints);
    await waitFor(
      "the checkpoint at the end",
      () => checkpoints.get(mappingPosition(fn.name, fixture.streamArn), shardId) === seq[4],
    );

    // Act 2: a function that keeps failing at the 2nd record, stopped while it retries, leaves
    // the checkpoint just before that record; a restarted mapping begins there
    const again = scriptedFunction(ctx, { script: failures(seq[1]) });
    const restartCheckpoints = memoryCheckpoints();
    const failing = await startStreamMapping(
      ctx,
      again,
      fixture,
      streamTrigger(fixture, { retryAttempts: 1_000 }),
      restartCheckpoints,
    );
    await waitFor("three invocations", () => again.invocations().length >= 3);
    await failing.stop();
    const checkpointWhileFailing = restartCheckpoints.get(
      mappingPosition(again.name, fixture.streamArn),
      shardId,
    );
    const invokedBeforeRestart = again.invocations().length;
    again.setScript({ action: "succeed" });
    await startStreamMapping(ctx, again, fixture, streamTrigger(fixture), restartCheckpoints);
    await waitFor(
      "the checkpoint at the end",
      () =>
        restartCheckpoints.get(mappingPosition(again.name, fixture.streamArn), shardId) === seq[4],
    );

    // Assess
    expect(streamBatches(fn).map(sequenceNumbers)).toEqual([seq, seq.slice(2)]);
    expect(checkpointWhileFailing).toBe(seq[0]);
    const batches = streamBatches(again).map(sequenceNumbers);
    expect(batches[0]).toEqual(seq);
    for (const batch of batches.slice(1, invokedBeforeRestart)) expect(batch).toEqual(seq.slice(1));
    expect(batches.slice(invokedBeforeRestart)).toEqual([seq.slice(1)]);
  });

  it("Streams — an itemIdentifier not in the batch fails the whole batch", async (ctx) => {
    const { expect } = ctx;
    // Prepare
    const fixture = await streamFixture(ctx);
    await putItems(fixture, "order#i", 3);
    const seq = await streamSequenceNumbers(fixture);
    const respond = (itemIdentifier: unknown) => ({
      action: "respond" as const,
      response: { batchItemFailures: [{ itemIdentifier }] },
    });
    const fn = scriptedFunction(ctx, {
      script: {
        action: "sequence",
        steps: [respond("49999999999999999999"), respond(""), respond(null), { action: "succeed" }],
      },
    });
    const [shardId = ""] = await fixture.shardIds();
    const checkpoints = memoryCheckpoints();

    // Act
    await startStreamMapping(
      ctx,
      fn,
      fixture,
      streamTrigger(fixture, { retryAttempts: 5 }),
      checkpoints,
    );
    await waitFor(
      "the checkpoint at the end",
      () => checkpoints.get(mappingPosition(fn.name, fixture.streamArn), shardId) === seq[2],
    );

    // Assess
    expect(streamBatches(fn).map(sequenceNumbers)).toEqual([seq, seq, seq, seq]);
    expect(await fixture.onFailureObjects()).toEqual([]);
  });

  it("Streams — retry attempts, then the S3 on-failure destination receives the payload, and the mapping moves on", async (ctx) => {
    const { expect } = ctx;
    // Prepare: a function that always fails, two retry attempts
    const fixture = await streamFixture(ctx);
    await putItems(fixture, "order#s", 2);
    const seq = await streamSequenceNumbers(fixture);
    const fn = scriptedFunction(ctx, { script: { action: "throw", message: "always" } });
    const [shardId = ""] = await fixture.shardIds();

    // Act
    await startStreamMapping(ctx, fn, fixture, streamTrigger(fixture, { retryAttempts: 2 }));
    const [parked] = await waitFor("an on-failure object", async () => {
      const objects = await fixture.onFailureObjects();
      return objects.length > 0 && objects;
    });
    fn.setScript({ action: "succeed" });
    await put(fixture, "order#s", "after");
    await waitFor("the next record", () => deliveredSequenceNumbers(fn).length >= 7);

    // Assess
    const batches = streamBatches(fn).map(sequenceNumbers);
    expect(batches.slice(0, 3)).toEqual([seq, seq, seq]);
    expect(batches).toHaveLength(4);
    expect(batches[3]).toHaveLength(1);
    expect(batches[3]?.[0] && seq.includes(batches[3][0])).toBe(false);
    expect(parked).toMatchObject({
      requestContext: { condition: "RetryAttemptsExhausted", approximateInvokeCount: 3 },
      DDBStreamBatchInfo: {
        shardId,
        streamArn: fixture.streamArn,
        startSequenceNumber: seq[0],
        endSequenceNumber: seq[1],
        batchSize: 2,
      },
    });
    const payload = (parked as { payload: { Records: { dynamodb: { SequenceNumber: string } }[] } })
      .payload;
    expect(payload.Records.map((record) => record.dynamodb.SequenceNumber)).toEqual(seq);
  });

  it("Streams — maximum record age: older records go to the on-failure destination without an invocation", async (ctx) => {
    const { expect } = ctx;
    // Prepare: two records an hour old as the mapping sees them, far past the maximum age of
    // a minute, then a fresh one, far within it however slow the machine
    const fixture = await streamFixture(ctx);
    await putItems(fixture, "order#old", 2);
    const old = await streamSequenceNumbers(fixture);
    await put(fixture, "order#new", "item#0");
    const all = await streamSequenceNumbers(fixture);
    const fn = scriptedFunction(ctx);

    // Act
    await startStreamMapping(
      ctx,
      fn,
      withRecordsAged(ctx, fixture, "order#old", 3_600),
      streamTrigger(fixture, { maximumRecordAgeSeconds: 60 }),
    );
    await waitFor("the fresh record", () => deliveredSequenceNumbers(fn).length >= 1);
    const [parked] = await waitFor("an on-failure object", async () => {
      const objects = await fixture.onFailureObjects();
      return objects.length > 0 && objects;
    });

    // Assess
    expect(deliveredSequenceNumbers(fn)).toEqual([all[2]]);
    expect(parked).toMatchObject({
      requestContext: { condition: "RecordAgeExceeded", approximateInvokeCount: 0 },
      DDBStreamBatchInfo: { startSequenceNumber: old[0], endSequenceNumber: old[1], batchSize: 2 },
    });
  });

  it("Streams — bisect on error isolates a poison record, in order", async (ctx) => {
    const { expect } = ctx;
    // Prepare: six records, the 4th of which always fails
    const fixture = await streamFixture(ctx);
    for (let index = 0; index < 6; index += 1)
      await put(fixture, "order#b", `item#${index}`, { note: index === 3 ? "poison" : "fine" });
    const seq = await streamSequenceNumbers(fixture);
    const fn = scriptedFunction(ctx, { script: { action: "throw-if-contains", text: "poison" } });

    // Act
    await startStreamMapping(
      ctx,
      fn,
      fixture,
      streamTrigger(fixture, { bisectBatchOnError: true, retryAttempts: 3 }),
    );
    const [parked] = await waitFor("an on-failure object", async () => {
      const objects = await fixture.onFailureObjects();
      return objects.length > 0 && objects;
    });
    await waitFor("the last record handled", () =>
      streamBatches(fn).some(
        (batch, index) => fn.outcomes[index]?.ok && sequenceNumbers(batch).includes(seq[5] ?? ""),
      ),
    );

    // Assess: every other record succeeded, in stream order; only the poison was parked
    const succeeded = streamBatches(fn)
      .filter((_, index) => fn.outcomes[index]?.ok)
      .flatMap(sequenceNumbers);
    expect(succeeded).toEqual([seq[0], seq[1], seq[2], seq[4], seq[5]]);
    // Halved, the first half first, until the poison is alone; then the rest, in order
    const at = (...indexes: number[]) => indexes.map((index) => seq[index]);
    expect(streamBatches(fn).map(sequenceNumbers)).toEqual([
      at(0, 1, 2, 3, 4, 5),
      at(0, 1, 2),
      at(3, 4, 5),
      at(3, 4),
      at(3),
      at(4),
      at(5),
    ]);
    expect(parked).toMatchObject({
      requestContext: { condition: "RetryAttemptsExhausted" },
      DDBStreamBatchInfo: { startSequenceNumber: seq[3], endSequenceNumber: seq[3], batchSize: 1 },
    });
  });

  it("Streams — checkpoints survive a restart of the mapping: nothing done twice, nothing skipped", async (ctx) => {
    const { expect } = ctx;
    // Prepare: checkpoints in a file, as the local runtime keeps them
    const fixture = await streamFixture(ctx);
    const file = join(testScratchDirectory(ctx, "stream-checkpoints"), "checkpoints.json");
    const fn = scriptedFunction(ctx);
    await putItems(fixture, "order#r1", 3);

    // Act: handle three records, stop, write three more, start a new mapping from the file
    const first = await startStreamMapping(
      ctx,
      fn,
      fixture,
      streamTrigger(fixture),
      fileCheckpoints(file),
    );
    await waitFor("the first 3 records", () => deliveredSequenceNumbers(fn).length >= 3);
    await first.stop();
    await putItems(fixture, "order#r2", 3);
    await startStreamMapping(ctx, fn, fixture, streamTrigger(fixture), fileCheckpoints(file));
    await waitFor("6 records", () => deliveredSequenceNumbers(fn).length >= 6);
    await put(fixture, "order#r3", "sentinel");
    const all = await streamSequenceNumbers(fixture);
    await waitFor("the sentinel", () => deliveredSequenceNumbers(fn).includes(all.at(-1) ?? ""));

    // Assess: every record exactly once, in stream order
    expect(deliveredSequenceNumbers(fn)).toEqual(all);
    expect(all).toHaveLength(7);
  });
  it("Streams — unlimited retry attempts (-1): no cap of 10 with the S3 on-failure destination; only the maximum record age ends them", async (ctx) => {
    const { expect } = ctx;
    // Prepare: a function that always fails, unlimited retries, a 5 s maximum record age
    const fixture = await streamFixture(ctx);
    await putItems(fixture, "order#u", 2);
    const seq = await streamSequenceNumbers(fixture);
    const fn = scriptedFunction(ctx, { script: { action: "throw", message: "always" } });

    // Act
    await startStreamMapping(
      ctx,
      fn,
      fixture,
      streamTrigger(fixture, { retryAttempts: -1, maximumRecordAgeSeconds: 5 }),
    );
    await waitFor("12 invocations", () => fn.invocations().length >= 12);
    const parkedAfterTwelve = await fixture.onFailureObjects();
    const [parked] = await waitFor("an on-failure object", async () => {
      const objects = await fixture.onFailureObjects();
      return objects.length > 0 && objects;
    });

    // Assess: past the 11 invocations a cap of 10 retries allows, and given up for age only
    expect(parkedAfterTwelve).toEqual([]);
    expect(parked).toMatchObject({
      requestContext: { condition: "RecordAgeExceeded" },
      DDBStreamBatchInfo: { startSequenceNumber: seq[0], endSequenceNumber: seq[1], batchSize: 2 },
    });
    const invoked = (parked as { requestContext: { approximateInvokeCount: number } })
      .requestContext.approximateInvokeCount;
    expect(invoked).toBeGreaterThanOrEqual(12);
    for (const batch of streamBatches(fn).map(sequenceNumbers)) expect(batch).toEqual(seq);
  });
});
