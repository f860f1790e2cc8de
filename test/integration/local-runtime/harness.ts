/**
 * What the local event source mapping conformance tests share: the scripted function in its
 * own sandbox host, Kafka and stream mappings built from a trigger the test declares (with
 * short retry delays), and bounded polls over real outcomes (the function's record file, the
 * group's committed offsets, topics, buckets). Everything is torn down when the test ends.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DescribeStreamCommand, DynamoDBStreamsClient } from "@aws-sdk/client-dynamodb-streams";
import { GetObjectCommand, ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";
import type { DynamoDBRecord } from "aws-lambda";
import type { Admin, Kafka, Message } from "kafkajs";
import { afterAll, beforeAll, type TestContext } from "vitest";
import { ensureTable } from "../../../infra/local/aws/dynamodb-tables";
import { ensureBucket } from "../../../infra/local/aws/s3-buckets";
import {
  createFunctionHost,
  type InvocationOutcome,
} from "../../../infra/local/runtime/function-host";
import { createKafkaEventSource } from "../../../infra/local/runtime/kafka-event-source";
import {
  memoryCheckpoints,
  type StreamCheckpoints,
} from "../../../infra/local/runtime/stream-checkpoints";
import { createStreamEventSource } from "../../../infra/local/runtime/stream-event-source";
import type { KafkaMappingMode, KafkaTrigger, StreamTrigger } from "../../../infra/wiring/types";
import type { LambdaKafkaEvent, LambdaKafkaRecord } from "../../../shared/kafka/lambda-kafka-event";
import type { Script } from "../../fixtures/functions/scripted-handler";
import { createTopics, readTopic, testKafkaClient } from "../../support/kafka-topics";
import { awsClientConfig, kafkaBrokers, uniqueName } from "../../support/local-endpoints";
import { testScratchDirectory } from "../../support/scratch-directory";

export type { Script };

const SCRIPTED_HANDLER = resolve(
  import.meta.dirname,
  "../../fixtures/functions/scripted-handler.ts",
);
const REGION = awsClientConfig.region;
export const BOOTSTRAP_SERVERS = kafkaBrokers.join(",");
/** Lambda's invocation payload limit. */
export const SIX_MB = 6 * 1024 * 1024;

/** One invocation as the scripted function recorded it. */
export interface RecordedInvocation<E = unknown> {
  readonly event: E;
  readonly requestId: string;
  readonly remainingMs: number;
  readonly pid: number;
  /** The serialized event's size, as Lambda counts a payload. */
  readonly bytes: number;
}

export interface ScriptedFunction {
  readonly name: string;
  /** The host's invoke, recording each outcome. */
  readonly invoke: (event: unknown) => Promise<InvocationOutcome>;
  readonly outcomes: InvocationOutcome[];
  setScript(script: Script): void;
  invocations<E = unknown>(): RecordedInvocation<E>[];
}

/**
 * Runs when the test ends (vitest runs these hooks last registered first). The test's own
 * context, so that tests of a file can run concurrently.
 */
const registerCleanup = (test: TestContext, cleanup: () => Promise<void>): void => {
  test.onTestFinished(cleanup);
};

/** The scripted test function in its own sandbox host, with its own record and script files. */
export const scriptedFunction = (
  test: TestContext,
  options: { readonly script?: Script; readonly timeoutSeconds?: number } = {},
): ScriptedFunction => {
  const name = uniqueName("scripted");
  const dir = testScratchDirectory(test, "scripted");
  const recordFile = join(dir, "invocations.jsonl");
  const scriptFile = join(dir, "script.json");
  const setScript = (script: Script) => writeFileSync(scriptFile, JSON.stringify(script));
  setScript(options.script ?? { action: "succeed" });
  const host = createFunctionHost({
    name,
    entry: SCRIPTED_HANDLER,
    environment: { RECORD_FILE: recordFile, SCRIPT_FILE: scriptFile, MARKER: name },
    timeoutSeconds: options.timeoutSeconds ?? 10,
    logFile: join(dir, "function.log"),
  });
  registerCleanup(test, () => host.stop());
  const outcomes: InvocationOutcome[] = [];
  return {
    name,
    outcomes,
    setScript,
    invoke: async (event) => {
      const outcome = await host.invoke(event);
      outcomes.push(outcome);
      return outcome;
    },
    invocations<E>() {
      let text = "";
      try {
        text = readFileSync(recordFile, "utf8");
      } catch {
        return [];
      }
      // Only whole lines: the function may be appending a (large) one right now.
      const complete = text.slice(0, text.lastIndexOf("\n") + 1);
      return complete
        .split("\n")
        .filter((line) => line.length > 0)
        .map((line) => {
          const parsed = JSON.parse(line) as Omit<RecordedInvocation<E>, "bytes">;
          return { ...parsed, bytes: Buffer.byteLength(JSON.stringify(parsed.event)) };
        });
    },
  };
};

/** Polls until `probe` returns something truthy; fails with `what` after `timeoutMs`. */
export const waitFor = async <T>(
  what: string,
  probe: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs = 20_000,
): Promise<T> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((done) => setTimeout(done, 50));
  }
};

export const pause = (ms: number): Promise<void> => new Promise((done) => setTimeout(done, ms));

// --- Kafka ----------------------------------------------------------------------------------

/** The real broker's clients for a test file's topics, connected for the whole file. */
export interface KafkaFixture {
  readonly kafka: Kafka;
  readonly admin: Admin;
  /** A fresh topic of the real broker. */
  topic(partitions: number, configEntries?: { name: string; value: string }[]): Promise<string>;
  produce(topic: string, messages: Message[]): Promise<void>;
  /** The group's committed offset per partition (-1 when none). */
  committed(groupId: string, topic: string): Promise<Map<number, number>>;
  /** The next offset to be written, per partition. */
  endOffsets(topic: string): Promise<Map<number, number>>;
}

/**
 * A {@link KafkaFixture} for the test file that calls it (at its top level): its admin client
 * and idempotent producer connect before the file's first test and disconnect after its last.
 */
export const fileKafkaFixture = (): KafkaFixture => {
  const kafka = testKafkaClient();
  const admin = kafka.admin();
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  beforeAll(async () => {
    await admin.connect();
    await producer.connect();
  });
  afterAll(async () => {
    await producer.disconnect();
    await admin.disconnect();
  });
  return {
    kafka,
    admin,
    async topic(partitions, configEntries) {
      const name = uniqueName("esm");
      await createTopics(kafka, [{ topic: name, numPartitions: partitions, configEntries }]);
      return name;
    },
    async produce(topic, messages) {
      await producer.send({ topic, acks: -1, messages });
    },
    async committed(groupId, topic) {
      const [offsets] = await admin.fetchOffsets({ groupId, topics: [topic] });
      return new Map(
        (offsets?.partitions ?? []).map(({ partition, offset }) => [partition, Number(offset)]),
      );
    },
    async endOffsets(topic) {
      const offsets = await admin.fetchTopicOffsets(topic);
      return new Map(offsets.map(({ partition, high }) => [partition, Number(high)]));
    },
  };
};

export const kafkaTrigger = (
  topic: string,
  overrides: Partial<KafkaTrigger> = {},
): KafkaTrigger => ({
  kind: "kafka",
  topic,
  consumerGroupId: uniqueName("group"),
  filters: [],
  batchSize: 100,
  maximumBatchingWindowSeconds: 0.5,
  startingPosition: "TRIM_HORIZON",
  mode: { kind: "on-demand" },
  ...overrides,
});

export const provisionedMode = (
  onFailureTopic: string,
  overrides: Partial<Extract<KafkaMappingMode, { kind: "provisioned" }>> = {},
): KafkaMappingMode => ({
  kind: "provisioned",
  minimumPollers: 1,
  maximumPollers: 1,
  retryAttempts: 2,
  maximumRecordAgeSeconds: -1,
  bisectBatchOnError: false,
  reportBatchItemFailures: false,
  onFailureTopic,
  ...overrides,
});

export interface RunningMapping {
  readonly logs: string[];
  stop(): Promise<void>;
}

/** Starts a local Kafka event source mapping for `fn`; stopped when the test ends. */
export const startKafkaMapping = async (
  test: TestContext,
  fn: ScriptedFunction,
  trigger: KafkaTrigger,
): Promise<RunningMapping> => {
  const logs: string[] = [];
  const source = createKafkaEventSource({
    functionName: fn.name,
    trigger,
    kafka: testKafkaClient(),
    bootstrapServers: BOOTSTRAP_SERVERS,
    region: REGION,
    invoke: fn.invoke,
    log: (line) => logs.push(line),
    retryDelay: () => 50,
  });
  let stopped: Promise<void> | undefined;
  const stop = () => {
    stopped ??= source.stop();
    return stopped;
  };
  registerCleanup(test, stop);
  await source.start();
  return { logs, stop };
};

/** Every Kafka record of an invocation, partition by partition, in offset order. */
export const kafkaRecords = (event: LambdaKafkaEvent): LambdaKafkaRecord[] =>
  Object.values(event.records).flat();

export const decoded = (base64: string | null | undefined): string | null | undefined =>
  base64 == null ? base64 : Buffer.from(base64, "base64").toString("utf8");

/** A record of a Kafka on-failure topic: the original key, Lambda's metadata and payload. */
export interface OnFailureRecord {
  readonly key: string | undefined;
  readonly requestContext: { condition: string; approximateInvokeCount: number };
  readonly payload: LambdaKafkaEvent;
}

/** Everything on the on-failure topic once it holds `count` records. */
export const onFailureRecords = async (
  kafka: KafkaFixture,
  topic: string,
  count: number,
): Promise<OnFailureRecord[]> => {
  await waitFor(`${count} on-failure record(s)`, async () => {
    const ends = await kafka.endOffsets(topic);
    return [...ends.values()].reduce((sum, end) => sum + end, 0) >= count;
  });
  return (await readTopic(topic, kafka.kafka)).map((record) => ({
    key: record.key?.toString("utf8"),
    ...(JSON.parse(record.value?.toString("utf8") ?? "null") as Omit<OnFailureRecord, "key">),
  }));
};

export const payloadValues = (record: OnFailureRecord) =>
  kafkaRecords(record.payload).map((each) => decoded(each.value));

/** Each invocation's record values (decoded), in order. */
export const deliveredValues = (fn: ScriptedFunction): string[][] =>
  fn
    .invocations<LambdaKafkaEvent>()
    .map(({ event }) => kafkaRecords(event).map((record) => decoded(record.value) ?? "<null>"));

// --- DynamoDB Streams -----------------------------------------------------------------------

export interface StreamFixture {
  readonly tableName: string;
  readonly streamArn: string;
  readonly bucket: string;
  readonly dynamodb: DynamoDBClient;
  readonly streams: DynamoDBStreamsClient;
  readonly s3: S3Client;
  shardIds(): Promise<string[]>;
  /** The objects of the on-failure bucket, parsed. */
  onFailureObjects(): Promise<unknown[]>;
}

export const streamFixture = async (
  test: TestContext,
  view: "NEW_IMAGE" | "NEW_AND_OLD_IMAGES" = "NEW_AND_OLD_IMAGES",
): Promise<StreamFixture> => {
  const dynamodb = new DynamoDBClient(awsClientConfig);
  const streams = new DynamoDBStreamsClient(awsClientConfig);
  const s3 = new S3Client({ ...awsClientConfig, forcePathStyle: true });
  const tableName = uniqueName("esm-table");
  const bucket = uniqueName("esm-on-failure");
  const { streamArn } = await ensureTable(
    dynamodb,
    {
      name: tableName,
      partitionKey: "pk",
      sortKey: "sk",
      timeToLiveAttribute: "expires_at",
      stream: view,
    },
    tableName,
  );
  if (streamArn === undefined) throw new Error(`${tableName} has no stream`);
  await ensureBucket(s3, bucket);
  registerCleanup(test, async () => {
    dynamodb.destroy();
    streams.destroy();
    s3.destroy();
  });
  return {
    tableName,
    streamArn,
    bucket,
    dynamodb,
    streams,
    s3,
    async shardIds() {
      const described = await streams.send(new DescribeStreamCommand({ StreamArn: streamArn }));
      return (described.StreamDescription?.Shards ?? []).flatMap((shard) =>
        shard.ShardId === undefined ? [] : [shard.ShardId],
      );
    },
    async onFailureObjects() {
      const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket }));
      const objects: unknown[] = [];
      for (const { Key } of listed.Contents ?? []) {
        const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key }));
        objects.push(JSON.parse((await object.Body?.transformToString()) ?? "null"));
      }
      return objects;
    },
  };
};

export const streamTrigger = (
  fixture: StreamFixture,
  overrides: Partial<StreamTrigger> = {},
): StreamTrigger => ({
  kind: "dynamodb-stream",
  table: fixture.tableName,
  filters: [],
  batchSize: 100,
  maximumBatchingWindowSeconds: 0,
  startingPosition: "TRIM_HORIZON",
  retryAttempts: 2,
  maximumRecordAgeSeconds: -1,
  bisectBatchOnError: false,
  reportBatchItemFailures: true,
  parallelizationFactor: 1,
  onFailure: { kind: "s3", bucket: fixture.bucket },
  ...overrides,
});

/** Starts a local stream event source mapping for `fn`; stopped when the test ends. */
export const startStreamMapping = async (
  test: TestContext,
  fn: ScriptedFunction,
  fixture: StreamFixture,
  trigger: StreamTrigger,
  checkpoints: StreamCheckpoints = memoryCheckpoints(),
): Promise<RunningMapping> => {
  const logs: string[] = [];
  const source = createStreamEventSource({
    functionName: fn.name,
    trigger,
    streamArn: fixture.streamArn,
    streams: fixture.streams,
    s3: fixture.s3,
    onFailureBucket: fixture.bucket,
    region: REGION,
    checkpoints,
    invoke: fn.invoke,
    log: (line) => logs.push(line),
    pollIntervalMs: 50,
    retryDelay: () => 50,
  });
  let stopped: Promise<void> | undefined;
  const stop = () => {
    stopped ??= source.stop();
    return stopped;
  };
  registerCleanup(test, stop);
  await source.start();
  return { logs, stop };
};

/** Each invocation's stream records, in order. */
export const streamBatches = (fn: ScriptedFunction): DynamoDBRecord[][] =>
  fn.invocations<{ Records: DynamoDBRecord[] }>().map(({ event }) => event.Records);

export const sequenceNumbers = (records: readonly DynamoDBRecord[]): string[] =>
  records.map((record) => record.dynamodb?.SequenceNumber ?? "");
