/**
 * Where each DynamoDB stream shard's mapping has got to: the sequence number of the last
 * record handled (or that the shard is finished), kept in a JSON file so a restarted local
 * runtime resumes instead of relaying the whole stream again, as Lambda's mapping would.
 *
 * @example
 * ```ts
 * const checkpoints = fileCheckpoints(".local/runtime/stream-checkpoints.json");
 * checkpoints.save(streamArn, shardId, "000000000000000000042");
 * ```
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";

/** The position of a shard read to its end: it is never read again. */
export const SHARD_END = "SHARD_END";

/** Positions per mapping and shard. */
export interface StreamCheckpoints {
  /** The last sequence number handled, {@link SHARD_END}, or undefined when never read. */
  get(streamArn: string, shardId: string): string | undefined;
  /** Records a new position, at once. */
  save(streamArn: string, shardId: string, position: string): void;
}

type Stored = Record<string, Record<string, string>>;

/** Checkpoints kept in a JSON file, read once now and rewritten on every save. */
export const fileCheckpoints = (file: string): StreamCheckpoints => {
  let stored: Stored = {};
  try {
    stored = JSON.parse(readFileSync(file, "utf8")) as Stored;
  } catch {
    stored = {};
  }
  return {
    get: (streamArn, shardId) => stored[streamArn]?.[shardId],
    save(streamArn, shardId, position) {
      stored[streamArn] = { ...stored[streamArn], [shardId]: position };
      mkdirSync(dirname(file), { recursive: true });
      // Write then rename, so a crash never leaves half a file behind.
      writeFileSync(`${file}.tmp`, JSON.stringify(stored, null, 2));
      renameSync(`${file}.tmp`, file);
    },
  };
};

/** Checkpoints kept in memory only, for tests. */
export const memoryCheckpoints = (): StreamCheckpoints => {
  const stored = new Map<string, string>();
  return {
    get: (streamArn, shardId) => stored.get(`${streamArn} ${shardId}`),
    save: (streamArn, shardId, position) => {
      stored.set(`${streamArn} ${shardId}`, position);
    },
  };
};
