/**
 * Progress of a long first-run download (Maven fetching the Kafka jars), read from the
 * downloader's own output: what was fetched so far, as one short line now and then instead of
 * hundreds of lines, or of silence.
 *
 * @example
 * ```ts
 * const progress = new DownloadProgress();
 * progress.read("[INFO] Downloaded from central: https://…/kafka_2.13-4.1.2.jar (6.5 MB at 3.1 MB/s)");
 * progress.line(23_000); // "23 s, 6.5 MB in 1 file"
 * ```
 */

const UNIT_BYTES: Readonly<Record<string, number>> = {
  B: 1,
  kB: 1_000,
  KB: 1_000,
  MB: 1_000_000,
  GB: 1_000_000_000,
};

/** Maven's line for one finished transfer: `Downloaded from <repo>: <url> (<size> <unit> at …)`. */
const MAVEN_DOWNLOADED = /Downloaded from [^:]+: \S+ \((\d+(?:\.\d+)?) (B|kB|KB|MB|GB)\b/;

/** Bytes as Maven prints them (decimal units): `539 B`, `12 kB`, `31 MB`. */
export const formatBytes = (bytes: number): string => {
  if (bytes < 1_000) return `${bytes} B`;
  if (bytes < 1_000_000) return `${Math.round(bytes / 1_000)} kB`;
  if (bytes < 10_000_000) return `${(bytes / 1_000_000).toFixed(1)} MB`;
  return `${Math.round(bytes / 1_000_000)} MB`;
};

/** Elapsed time for a person: `7 s`, `1 min 05 s`. */
export const formatElapsed = (milliseconds: number): string => {
  const seconds = Math.round(milliseconds / 1_000);
  if (seconds < 60) return `${seconds} s`;
  return `${Math.floor(seconds / 60)} min ${String(seconds % 60).padStart(2, "0")} s`;
};

/** Counts the files and bytes a downloader reports as fetched. */
export class DownloadProgress {
  #files = 0;
  #bytes = 0;

  /** Files fetched so far. */
  get files(): number {
    return this.#files;
  }

  /** Bytes fetched so far. */
  get bytes(): number {
    return this.#bytes;
  }

  /** Takes one line of the downloader's output; lines that report no finished file are ignored. */
  read(line: string): void {
    const match = MAVEN_DOWNLOADED.exec(line);
    if (match === null) return;
    const [, amount = "0", unit = "B"] = match;
    this.#files += 1;
    this.#bytes += Math.round(Number(amount) * (UNIT_BYTES[unit] ?? 1));
  }

  /** The progress so far, after `elapsedMs`: `23 s, 31 MB in 87 files`. */
  line(elapsedMs: number): string {
    const files = this.#files === 1 ? "1 file" : `${this.#files} files`;
    return `${formatElapsed(elapsedMs)}, ${formatBytes(this.#bytes)} in ${files}`;
  }
}
