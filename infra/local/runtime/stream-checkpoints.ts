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

export const SHARD_END = "SHARD_END";

export interface StreamCheckpoints {
  get(streamArn: string, shardId: string): string | undefined;
  save(streamArn: string, shardId: string, position: string): void;
}

type Stored = Record<string, Record<string, string>>;

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

export const memoryCheckpoints = (): StreamCheckpoints => {
  const stored = new Map<string, string>();
  return {
    get: (streamArn, shardId) => stored.get(`${streamArn} ${shardId}`),
    save: (streamArn, shardId, position) => {
      stored.set(`${streamArn} ${shardId}`, position);
    },
  };
};
