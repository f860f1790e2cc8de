/**
 * What the dead-letters tool did, kept in the relay's dead-letter bucket: one small object
 * per time a dead letter was redriven (`dead-letters/redriven/<id>/<time>.json`) or purged
 * (`dead-letters/purged/<id>/<time>.json`). Kafka records cannot be changed or deleted one
 * by one, so the marks live beside them in S3, which the tool reaches for two of the places
 * anyway. The time is in the key, so one listing reads every mark; the latest one counts.
 *
 * @example
 * ```ts
 * const ledger = s3RedriveLedger({ client, bucket });
 * await ledger.mark("redriven", entry.summary.id, new Date());
 * (await ledger.read()).redriven.get(id); // Date
 * ```
 */
import { ListObjectsV2Command, PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";

/** The marks' prefix; neither the relay (`poison/`) nor Lambda (`aws/lambda/`) writes there. */
export const LEDGER_PREFIX = "dead-letters/";

/** What a dead letter may be marked as. */
export type LedgerMark = "redriven" | "purged";

/** The marks, by dead-letter id: when each was last marked. */
export interface LedgerMarks {
  readonly redriven: ReadonlyMap<string, Date>;
  readonly purged: ReadonlyMap<string, Date>;
}

/** Reads and writes the marks. */
export interface RedriveLedger {
  mark(mark: LedgerMark, id: string, at: Date): Promise<void>;
  read(): Promise<LedgerMarks>;
}

const markKey = (mark: LedgerMark, id: string, at: Date): string =>
  `${LEDGER_PREFIX}${mark}/${encodeURIComponent(id)}/${at.toISOString()}.json`;

const MARK_KEY = /^dead-letters\/(redriven|purged)\/([^/]+)\/([^/]+)\.json$/;

/** The marks in `bucket`; a mark's time is the one it was given (in its key), not S3's. */
export const s3RedriveLedger = (options: {
  readonly client: S3Client;
  readonly bucket: string;
}): RedriveLedger => ({
  async mark(mark, id, at) {
    await options.client.send(
      new PutObjectCommand({
        Bucket: options.bucket,
        Key: markKey(mark, id, at),
        ContentType: "application/json",
        Body: JSON.stringify({ id, mark, at: at.toISOString() }),
      }),
    );
  },
  async read() {
    const redriven = new Map<string, Date>();
    const purged = new Map<string, Date>();
    for (const object of await listAll(options.client, options.bucket, LEDGER_PREFIX)) {
      const match = MARK_KEY.exec(object.key);
      const at = new Date(match?.[3] ?? "");
      if (match === null || Number.isNaN(at.getTime())) continue;
      const id = decodeURIComponent(match[2] ?? "");
      const marks = match[1] === "redriven" ? redriven : purged;
      if ((marks.get(id)?.getTime() ?? -1) < at.getTime()) marks.set(id, at);
    }
    return { redriven, purged };
  },
});

/** Every object under `prefix`, page by page. */
export const listAll = async (
  client: S3Client,
  bucket: string,
  prefix: string,
): Promise<{ key: string; lastModified: Date }[]> => {
  const objects: { key: string; lastModified: Date }[] = [];
  let token: string | undefined;
  do {
    const page = await client.send(
      new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }),
    );
    for (const object of page.Contents ?? []) {
      if (object.Key !== undefined) {
        objects.push({ key: object.Key, lastModified: object.LastModified ?? new Date(0) });
      }
    }
    token = page.IsTruncated === true ? page.NextContinuationToken : undefined;
  } while (token !== undefined);
  return objects;
};
