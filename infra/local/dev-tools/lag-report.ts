/**
 * How far each event source mapping of the wiring is behind (`npm run lag`, and the local
 * console's overview): per Kafka mapping its consumer group's committed offset, the end
 * offset and the lag of every partition; per DynamoDB stream mapping the local runtime's
 * checkpoint of every shard and whether anything is left after it. Read-only: it commits
 * nothing and reads the stream with iterators of its own.
 *
 * - A partition the group never committed on has `committed: null` and lag `end - start`
 *   (what a group starting at the trim horizon would read). A committed offset below the
 *   partition's start (records removed by retention) counts from the start.
 * - A stream shard's checkpoint is the sequence number of the last record the mapping
 *   handled (`.local/runtime/stream-checkpoints.json`), `SHARD_END`, or `null` when never
 *   read. `recordsBehind` counts the records after it, reading at most
 *   {@link STREAM_PAGES_READ} pages of GetRecords. A shard that cannot be read (its
 *   checkpoint trimmed from the stream, say) is a `problem` of that shard and of the report;
 *   the other shards and mappings are still read.
 * - A topic or table that does not exist yet (nothing started the system there) is a `note`
 *   of its mapping, not an error; a broker or DynamoDB that does not answer is.
 *
 * @example
 * ```ts
 * const report = await readLag({ wiring: systemWiring, kafka, brokers: "127.0.0.1:9092", streams, dynamodb, checkpointsFile });
 * for (const mapping of report.mappings) console.log(describeMappingLag(mapping).total);
 * ```
 */
import { join } from "node:path";
import { DescribeTableCommand, type DynamoDBClient } from "@aws-sdk/client-dynamodb";
import {
  type DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type Shard,
} from "@aws-sdk/client-dynamodb-streams";
import type { Kafka } from "kafkajs";
import { describeError } from "../../../shared/errors";
import { type KafkaSettings, readKafkaSettings } from "../../../shared/kafka/kafka-settings";
import type { KafkaTrigger, StreamTrigger, SystemWiring } from "../../wiring/types";
import { connectKafkaObserver, type KafkaObserver } from "../demo/kafka-observer";
import type { RuntimeSettings } from "../runtime/runtime-settings";
import { fileCheckpoints, SHARD_END, type StreamCheckpoints } from "../runtime/stream-checkpoints";
import { mappingPosition } from "../runtime/stream-event-source";
import { describeShards } from "../runtime/stream-shards";

/** How many GetRecords pages a shard's records after its checkpoint are counted over. */
export const STREAM_PAGES_READ = 10;

/** One partition of a Kafka mapping's topic. */
export interface PartitionLag {
  readonly partition: number;
  /** The group's committed offset (the next record it reads), or `null`: no commit. */
  readonly committed: number | null;
  /** The oldest offset the partition still holds (low watermark). */
  readonly start: number;
  /** The next offset to be written (high watermark). */
  readonly end: number;
  /** Records the group has not committed past: `end - max(committed ?? start, start)`. */
  readonly lag: number;
}

/** One Kafka event source mapping of the wiring. */
export interface KafkaMappingLag {
  readonly kind: "kafka";
  readonly functionName: string;
  readonly topic: string;
  readonly groupId: string;
  /** By partition number; empty when the topic does not exist. */
  readonly partitions: readonly PartitionLag[];
  /** The sum of the partitions' lag. */
  readonly totalLag: number;
  /** Why there is nothing to show (the topic does not exist), or `null`. */
  readonly note: string | null;
}

/** One shard of a stream mapping's stream. */
export interface ShardLag {
  readonly shardId: string;
  readonly parentShardId: string | null;
  /** The last sequence number the mapping handled, `"SHARD_END"`, or `null`: never read. */
  readonly checkpoint: string | null;
  /** The newest record's sequence number in the shard as far as read, `null` when none. */
  readonly latestSequenceNumber: string | null;
  /** Records after the checkpoint (from the shard's start when there is none). */
  readonly recordsBehind: number;
  /** True when more pages were left unread: `recordsBehind` is a lower bound. */
  readonly recordsBehindIsLowerBound: boolean;
  /** Nothing after the checkpoint: the mapping is at the shard's end. */
  readonly atEnd: boolean;
  /** Why the shard could not be read (nothing counted: `recordsBehind` 0), or `null`. */
  readonly problem: string | null;
}

/** One DynamoDB stream event source mapping of the wiring. */
export interface StreamMappingLag {
  readonly kind: "dynamodb-stream";
  readonly functionName: string;
  readonly table: string;
  /** The table's latest stream, `null` when the table or its stream does not exist. */
  readonly streamArn: string | null;
  readonly shards: readonly ShardLag[];
  /** The sum of the shards' `recordsBehind`. */
  readonly recordsBehind: number;
  /** Every shard at its end. */
  readonly atEnd: boolean;
  /** Why there is nothing to show (no table, no stream), or `null`. */
  readonly note: string | null;
}

/** Every mapping's lag, in the wiring's order. */
export interface LagReport {
  readonly readAt: string;
  readonly mappings: readonly (KafkaMappingLag | StreamMappingLag)[];
  /**
   * What could not be read: DynamoDB did not answer (the mapping concerned shows it as its
   * note, with no shards), or a shard could not be read (its `problem`). Empty when
   * everything was read.
   */
  readonly problems: readonly string[];
}

/** What {@link readLag} reads with. */
export interface LagSources {
  readonly wiring: SystemWiring;
  /** A client of the cluster the Kafka mappings consume (local broker or MSK). */
  readonly kafka: Kafka;
  /** The bootstrap servers, named in errors. */
  readonly brokers: string;
  readonly dynamodb: DynamoDBClient;
  readonly streams: DynamoDBStreamsClient;
  /** The local runtime's checkpoint file ({@link streamCheckpointsFile}). */
  readonly checkpointsFile: string;
  /** Physical name of a declared table; the logical name unless given (as locally). */
  readonly tableName?: (logicalName: string) => string;
}

/** DynamoDB did not answer: the stream mappings cannot be read. */
export class DynamoDbUnreachableError extends Error {
  override readonly name = "DynamoDbUnreachableError";

  constructor(
    readonly table: string,
    cause: unknown,
  ) {
    super(
      `DynamoDB does not answer for table ${table} (${cause instanceof Error ? cause.message : String(cause)}). Is moto running (\`npm run services:up\`), or AWS_ENDPOINT_URL right?`,
      { cause },
    );
  }
}

/**
 * The local runtime's stream checkpoint file under a state folder (`.local` by default).
 *
 * @example
 * ```ts
 * streamCheckpointsFile(readServiceSettings(process.env).stateDir); // ".../.local/runtime/stream-checkpoints.json"
 * ```
 */
export const streamCheckpointsFile = (stateDir: string): string =>
  join(stateDir, "runtime", "stream-checkpoints.json");

/**
 * Reads every mapping's lag. Throws `KafkaUnreachableError` (naming the brokers) when the
 * cluster does not answer; a stream mapping whose DynamoDB does not answer, and a shard that
 * cannot be read, are in `problems` (the Kafka mappings are still read: against MSK there
 * may be no local moto).
 *
 * @example
 * ```ts
 * const { mappings } = await readLag(sources);
 * mappings.filter((mapping) => mapping.kind === "kafka" && mapping.totalLag > 0);
 * ```
 */
export const readLag = async (sources: LagSources): Promise<LagReport> => {
  const functions = sources.wiring.functions;
  const hasKafka = functions.some((fn) => fn.trigger?.kind === "kafka");
  const observer = hasKafka
    ? await connectKafkaObserver(sources.kafka, sources.brokers)
    : undefined;
  try {
    const checkpoints = fileCheckpoints(sources.checkpointsFile);
    const mappings: (KafkaMappingLag | StreamMappingLag)[] = [];
    const problems: string[] = [];
    for (const fn of functions) {
      const trigger = fn.trigger;
      if (trigger?.kind === "kafka" && observer !== undefined) {
        mappings.push(await kafkaMappingLag(observer, fn.name, trigger));
      } else if (trigger?.kind === "dynamodb-stream") {
        mappings.push(await unreadableAsNote(sources, checkpoints, fn.name, trigger, problems));
      }
    }
    return { readAt: new Date().toISOString(), mappings, problems };
  } finally {
    await observer?.disconnect().catch(() => undefined);
  }
};

/**
 * One partition's lag from its offsets.
 *
 * @example
 * ```ts
 * partitionLag(0, null, 0, 7); // { partition: 0, committed: null, start: 0, end: 7, lag: 7 }
 * ```
 */
export const partitionLag = (
  partition: number,
  committed: number | null,
  start: number,
  end: number,
): PartitionLag => ({
  partition,
  committed,
  start,
  end,
  lag: Math.max(0, end - Math.max(committed ?? start, start)),
});

const kafkaMappingLag = async (
  observer: KafkaObserver,
  functionName: string,
  trigger: KafkaTrigger,
): Promise<KafkaMappingLag> => {
  const { topic, consumerGroupId: groupId } = trigger;
  const base = { kind: "kafka" as const, functionName, topic, groupId };
  if (!(await observer.admin.listTopics()).includes(topic)) {
    return { ...base, partitions: [], totalLag: 0, note: `topic ${topic} does not exist` };
  }
  const [offsets, committed] = await Promise.all([
    observer.admin.fetchTopicOffsets(topic),
    observer.committedOffsets(groupId, topic),
  ]);
  const partitions = offsets
    .map((each) =>
      partitionLag(
        each.partition,
        committed.get(each.partition) ?? null,
        Number(each.low),
        Number(each.high),
      ),
    )
    .sort((a, b) => a.partition - b.partition);
  const totalLag = partitions.reduce((sum, each) => sum + each.lag, 0);
  return { ...base, partitions, totalLag, note: null };
};

/** The table's latest stream ARN, `null` when the table does not exist; unreachable throws. */
const latestStreamArn = async (
  dynamodb: DynamoDBClient,
  table: string,
): Promise<{ readonly exists: boolean; readonly streamArn: string | null }> => {
  try {
    const answer = await dynamodb.send(new DescribeTableCommand({ TableName: table }));
    return { exists: true, streamArn: answer.Table?.LatestStreamArn ?? null };
  } catch (error) {
    if (error instanceof Error && error.name === "ResourceNotFoundException") {
      return { exists: false, streamArn: null };
    }
    throw new DynamoDbUnreachableError(table, error);
  }
};

const streamMappingLag = async (
  sources: LagSources,
  checkpoints: StreamCheckpoints,
  functionName: string,
  trigger: StreamTrigger,
): Promise<StreamMappingLag> => {
  const table = (sources.tableName ?? ((name) => name))(trigger.table);
  const base = { kind: "dynamodb-stream" as const, functionName, table };
  const { exists, streamArn } = await latestStreamArn(sources.dynamodb, table);
  if (streamArn === null) {
    const note = exists ? `table ${table} has no stream` : `table ${table} does not exist`;
    return { ...base, streamArn, shards: [], recordsBehind: 0, atEnd: true, note };
  }
  const position = mappingPosition(functionName, streamArn);
  const shards: ShardLag[] = [];
  for (const shard of await describeShards(sources.streams, streamArn)) {
    const checkpoint = shard.ShardId ? checkpoints.get(position, shard.ShardId) : undefined;
    shards.push(await shardLag(sources.streams, { table, streamArn }, shard, checkpoint ?? null));
  }
  return {
    ...base,
    streamArn,
    shards,
    recordsBehind: shards.reduce((sum, shard) => sum + shard.recordsBehind, 0),
    atEnd: shards.every((shard) => shard.atEnd),
    note: null,
  };
};

/**
 * The stream mapping's lag; DynamoDB not answering becomes its note and a problem, and so
 * does each shard that could not be read.
 */
const unreadableAsNote = async (
  sources: LagSources,
  checkpoints: StreamCheckpoints,
  functionName: string,
  trigger: StreamTrigger,
  problems: string[],
): Promise<StreamMappingLag> => {
  try {
    const mapping = await streamMappingLag(sources, checkpoints, functionName, trigger);
    for (const shard of mapping.shards) {
      if (shard.problem !== null) {
        problems.push(
          `${functionName}: shard ${shard.shardId} of ${mapping.table}: ${shard.problem}`,
        );
      }
    }
    return mapping;
  } catch (error) {
    if (!(error instanceof DynamoDbUnreachableError)) throw error;
    problems.push(error.message);
    return {
      kind: "dynamodb-stream",
      functionName,
      table: error.table,
      streamArn: null,
      shards: [],
      recordsBehind: 0,
      atEnd: false,
      note: error.message,
    };
  }
};

/** What a shard's count starts from: the shard and the mapping's checkpoint in it. */
type ShardBase = Pick<ShardLag, "shardId" | "parentShardId" | "checkpoint">;

/**
 * Whether the streams endpoint answered the failed request (with an error status, or a body
 * the SDK could not read), rather than not answering at all.
 */
const answered = (error: unknown): boolean => {
  const failed = error as { $metadata?: { httpStatusCode?: number }; $response?: unknown };
  return failed.$metadata?.httpStatusCode !== undefined || failed.$response !== undefined;
};

/**
 * The shard's lag, or, when the stream refuses to read it, the refusal as its `problem`: one
 * shard that cannot be read must not hide the others. A stream that does not answer at all
 * is `DynamoDbUnreachableError`, the whole mapping's note.
 */
const shardLag = async (
  streams: DynamoDBStreamsClient,
  stream: { readonly table: string; readonly streamArn: string },
  shard: Shard,
  checkpoint: string | null,
): Promise<ShardLag> => {
  const base = {
    shardId: shard.ShardId ?? "",
    parentShardId: shard.ParentShardId ?? null,
    checkpoint,
  };
  if (checkpoint === SHARD_END) {
    const latest = shard.SequenceNumberRange?.EndingSequenceNumber ?? null;
    return {
      ...base,
      latestSequenceNumber: latest,
      recordsBehind: 0,
      recordsBehindIsLowerBound: false,
      atEnd: true,
      problem: null,
    };
  }
  try {
    return await countAfterCheckpoint(streams, stream.streamArn, base);
  } catch (error) {
    if (!answered(error)) throw new DynamoDbUnreachableError(stream.table, error);
    const { errorClass, message } = describeError(error);
    return {
      ...base,
      latestSequenceNumber: null,
      recordsBehind: 0,
      recordsBehindIsLowerBound: true,
      atEnd: false,
      // Its first line: the problem is one cell of the table and one line of stderr.
      problem: `${errorClass}: ${message.split("\n")[0]}`,
    };
  }
};

/** Counts the shard's records after the checkpoint, page by page, up to the cap. */
const countAfterCheckpoint = async (
  streams: DynamoDBStreamsClient,
  streamArn: string,
  base: ShardBase,
): Promise<ShardLag> => {
  const { shardId, checkpoint } = base;
  const start = await streams.send(
    new GetShardIteratorCommand({
      StreamArn: streamArn,
      ShardId: shardId,
      ...(checkpoint === null
        ? { ShardIteratorType: "TRIM_HORIZON" }
        : { ShardIteratorType: "AFTER_SEQUENCE_NUMBER", SequenceNumber: checkpoint }),
    }),
  );
  let iterator = start.ShardIterator;
  let latest = checkpoint;
  let behind = 0;
  let pages = 0;
  while (iterator !== undefined && pages < STREAM_PAGES_READ) {
    const page = await streams.send(
      new GetRecordsCommand({ ShardIterator: iterator, Limit: 1000 }),
    );
    const records = page.Records ?? [];
    pages += 1;
    behind += records.length;
    latest = records.at(-1)?.dynamodb?.SequenceNumber ?? latest;
    // An open shard's tip answers an empty page with a next iterator, forever.
    iterator = records.length === 0 ? undefined : page.NextShardIterator;
  }
  return {
    ...base,
    latestSequenceNumber: latest,
    recordsBehind: behind,
    recordsBehindIsLowerBound: iterator !== undefined,
    atEnd: behind === 0,
    problem: null,
  };
};

/** "at end", or the records after the checkpoint ("4+" when more were left unread). */
const shardBehind = (shard: ShardLag, unit = ""): string =>
  shard.atEnd
    ? "at end"
    : `${shard.recordsBehind}${shard.recordsBehindIsLowerBound ? "+" : ""}${unit}`;

/** The stream mapping's total: at end, or the records left, and the shards not read. */
const streamTotal = (mapping: StreamMappingLag): string => {
  const unread = mapping.shards.filter((shard) => shard.problem !== null).length;
  const lowerBound = mapping.shards.some((shard) => shard.recordsBehindIsLowerBound);
  const left = mapping.atEnd
    ? "at end"
    : `${mapping.recordsBehind}${lowerBound ? "+" : ""} records left`;
  if (unread === 0) return left;
  const notRead = `${unread} shard${unread === 1 ? "" : "s"} not read`;
  return mapping.recordsBehind === 0 ? notRead : `${left}, ${notRead}`;
};

/** One mapping as rows of text, as the `lag` table and the console show it. */
export interface MappingLagRows {
  readonly functionName: string;
  /** e.g. "group order-created-v1 on order-events" or "stream of orders". */
  readonly source: string;
  readonly rows: readonly {
    readonly label: string;
    readonly position: string;
    readonly behind: string;
  }[];
  readonly total: string;
}

/**
 * A mapping's lag as text rows: per partition `committed / end` and the lag ("no commit"
 * when the group never committed), per shard the checkpoint and "at end" or the records left.
 *
 * @example
 * ```ts
 * describeMappingLag(mapping).rows; // [{ label: "partition 0", position: "no commit / 7", behind: "7" }, ...]
 * ```
 */
export const describeMappingLag = (mapping: KafkaMappingLag | StreamMappingLag): MappingLagRows => {
  if (mapping.kind === "kafka") {
    return {
      functionName: mapping.functionName,
      source: `group ${mapping.groupId} on ${mapping.topic}`,
      rows: mapping.partitions.map((each) => ({
        label: `partition ${each.partition}`,
        position: `${each.committed === null ? "no commit" : each.committed} / ${each.end}`,
        behind: String(each.lag),
      })),
      total: mapping.note ?? `lag ${mapping.totalLag}`,
    };
  }
  return {
    functionName: mapping.functionName,
    source: `stream of ${mapping.table}`,
    rows: mapping.shards.map((shard) => ({
      label: `shard ${shard.shardId}`,
      position: `checkpoint ${shard.checkpoint ?? "none"}`,
      behind:
        shard.problem === null ? shardBehind(shard, " records left") : `not read: ${shard.problem}`,
    })),
    total: mapping.note ?? streamTotal(mapping),
  };
};

/** Cells aligned in columns, each row indented. */
const alignedRows = (rows: readonly (readonly string[])[]): string[] => {
  const widths = (rows[0] ?? []).map((_, column) =>
    Math.max(...rows.map((row) => (row[column] ?? "").length)),
  );
  return rows.map((row) =>
    `  ${row.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join("  ")}`.trimEnd(),
  );
};

/** A mapping's header line and its table of partitions or shards. */
const mappingBlock = (mapping: KafkaMappingLag | StreamMappingLag): string => {
  const { functionName, source, total } = describeMappingLag(mapping);
  const head = `${functionName}  ${source}: ${total}`;
  const table =
    mapping.kind === "kafka"
      ? [
          ["partition", "committed", "end", "lag"],
          ...mapping.partitions.map((each) => [
            String(each.partition),
            each.committed === null ? "no commit" : String(each.committed),
            String(each.end),
            String(each.lag),
          ]),
        ]
      : [
          ["shard", "checkpoint", "latest", "behind"],
          ...mapping.shards.map((shard) => [
            shard.shardId,
            shard.checkpoint ?? "none",
            shard.latestSequenceNumber ?? "none",
            shard.problem === null ? shardBehind(shard) : "not read",
          ]),
        ];
  return table.length > 1 ? [head, ...alignedRows(table)].join("\n") : head;
};

/**
 * The report as the `lag` command's table: per mapping a line with its total, then its
 * partitions (committed, end, lag) or shards (checkpoint, latest, behind).
 *
 * @example
 * ```ts
 * process.stdout.write(formatLagTable(report));
 * // order-created  group order-created-v1 on order-events: lag 3
 * //   partition  committed  end  lag
 * //   0          no commit  3    3
 * ```
 */
export const formatLagTable = (report: LagReport): string =>
  `${report.mappings.map(mappingBlock).join("\n\n")}\n`;

/**
 * The Kafka settings a tool reads the mappings' cluster with, from the runtime settings:
 * the local broker, or `KAFKA_BROKERS` with `KAFKA_AUTH=iam` (TLS, MSK IAM tokens signed
 * for `AWS_REGION`) for MSK. One retry: an unreachable broker is reported within seconds.
 *
 * @example
 * ```ts
 * const kafka = new Kafka(kafkaClientConfig(lagKafkaSettings(readRuntimeSettings(process.env, services))));
 * ```
 */
export const lagKafkaSettings = (
  runtime: Pick<RuntimeSettings, "kafkaBrokers" | "kafkaAuth" | "kafkaTls" | "region">,
): KafkaSettings =>
  readKafkaSettings({
    KAFKA_BROKERS: runtime.kafkaBrokers,
    KAFKA_AUTH: runtime.kafkaAuth,
    KAFKA_TLS: String(runtime.kafkaTls),
    AWS_REGION: runtime.region,
    KAFKA_CLIENT_ID: "npm-run-lag",
    KAFKA_SEND_RETRIES: "1",
  });
