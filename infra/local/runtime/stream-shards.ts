/**
 * Which shards of a DynamoDB stream a local mapping reads: every shard the stream describes,
 * parents before their children (a child waits until its parent is finished, unless the
 * parent is no longer described), each shard once at a time, finished shards never again.
 * See `docs/local-runtime.md`.
 *
 * @example
 * ```ts
 * const shards = await describeShards(streams, streamArn);
 * for (const shard of shardsToStart(shards, { isReading, isFinished })) start(shard);
 * ```
 */
import {
  DescribeStreamCommand,
  type DynamoDBStreamsClient,
  type Shard,
} from "@aws-sdk/client-dynamodb-streams";

/** A shard ready to be read. */
export interface ShardToStart {
  readonly shardId: string;
  /** It has a parent, so it begins at its start (the parent was read to its end). */
  readonly isChild: boolean;
}

/** Every shard of the stream, page after page. */
export const describeShards = async (
  streams: DynamoDBStreamsClient,
  streamArn: string,
): Promise<Shard[]> => {
  const shards: Shard[] = [];
  let start: string | undefined;
  do {
    const page = await streams.send(
      new DescribeStreamCommand({ StreamArn: streamArn, ExclusiveStartShardId: start }),
    );
    shards.push(...(page.StreamDescription?.Shards ?? []));
    start = page.StreamDescription?.LastEvaluatedShardId;
  } while (start !== undefined);
  return shards;
};

/** The described shards to start reading now, in the order described, each once. */
export const shardsToStart = (
  shards: readonly Shard[],
  state: {
    readonly isReading: (shardId: string) => boolean;
    readonly isFinished: (shardId: string) => boolean;
  },
): ShardToStart[] => {
  const known = new Set(shards.map((shard) => shard.ShardId));
  const chosen = new Set<string>();
  const isReady = (shardId: string, parent: string | undefined): boolean =>
    !chosen.has(shardId) &&
    !state.isReading(shardId) &&
    !state.isFinished(shardId) &&
    (parent === undefined || !known.has(parent) || state.isFinished(parent));
  return shards.flatMap(({ ShardId: shardId, ParentShardId: parent }) => {
    if (shardId === undefined || !isReady(shardId, parent)) return [];
    chosen.add(shardId);
    return [{ shardId, isChild: parent !== undefined }];
  });
};
