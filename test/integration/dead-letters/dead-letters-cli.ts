/**
 * Runs `npm run dead-letters`'s entry as a user would, in a child process, against a test's
 * own topics and bucket: its stdout, stderr and exit code.
 */
import { spawn } from "node:child_process";
import { resolve } from "node:path";
import type { DeadLetterSummary } from "../../../shared/dead-letters/inventory";
import { awsClientConfig, kafkaBrokers } from "../../support/local-endpoints";

const ROOT = resolve(import.meta.dirname, "../../..");
const TSX = resolve(ROOT, "node_modules/.bin/tsx");
const ENTRY = resolve(ROOT, "infra/local/dead-letters.ts");

/** Where the test's dead letters are. */
export interface CliPlaces {
  readonly topic: string;
  readonly bucket: string;
}

/** What a run printed and how it ended. */
export interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** stdout's lines parsed as JSON (for `--json` runs). */
  json<T = DeadLetterSummary>(): T[];
}

/**
 * Runs the command with `args`; `stdin` is a pipe, never a terminal. `env` adds to (or
 * overrides) the places' environment, e.g. `AWS_ENDPOINT_URL_LAMBDA` for `--stack` runs.
 */
export const runCli = (
  places: CliPlaces,
  args: readonly string[],
  env: Readonly<Record<string, string>> = {},
): Promise<CliRun> =>
  new Promise((done, fail) => {
    const child = spawn(TSX, [ENTRY, ...args], {
      cwd: ROOT,
      env: {
        ...process.env,
        NODE_OPTIONS: "--disable-warning=TimeoutNegativeWarning",
        KAFKA_BROKERS: kafkaBrokers.join(","),
        AWS_ENDPOINT_URL: awsClientConfig.endpoint,
        AWS_REGION: awsClientConfig.region,
        AWS_ACCESS_KEY_ID: "local",
        AWS_SECRET_ACCESS_KEY: "local",
        DEAD_LETTER_BUCKET_NAME: places.bucket,
        DEAD_LETTER_TOPICS: `${places.topic}.dlq`,
        ON_FAILURE_TOPICS: `${places.topic}.on-failure`,
        KAFKA_PRODUCE_TOPICS: places.topic,
        ...env,
      },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString("utf8");
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString("utf8");
    });
    child.stdin.end();
    child.on("error", fail);
    child.on("close", (code) =>
      done({
        code,
        stdout,
        stderr,
        json: <T>() =>
          stdout
            .split("\n")
            .filter((line) => line.trim().length > 0)
            .map((line) => JSON.parse(line) as T),
      }),
    );
  });
