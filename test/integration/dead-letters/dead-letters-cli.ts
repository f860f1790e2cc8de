/**
 * Runs `npm run dead-letters`'s entry as a user would, in a child process, against a test's
 * own topics and bucket: its stdout, stderr and exit code.
 */
import type { DeadLetterSummary } from "../../../shared/dead-letters/inventory";
import { awsClientConfig, kafkaBrokers } from "../../support/local-endpoints";
import { runTool } from "../../support/tool-run";

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

/** The command's environment for the places, with `env` added (or overriding). */
export const cliEnvironment = (
  places: CliPlaces,
  env: Readonly<Record<string, string | undefined>> = {},
): Record<string, string | undefined> => ({
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
});

/**
 * Runs the command with `args`; `stdin` is a pipe, never a terminal. `env` adds to (or
 * overrides) the places' environment, e.g. `AWS_ENDPOINT_URL_LAMBDA` for `--stack` runs.
 */
export const runCli = async (
  places: CliPlaces,
  args: readonly string[],
  env: Readonly<Record<string, string | undefined>> = {},
): Promise<CliRun> => {
  const run = await runTool("dead-letters", args, cliEnvironment(places, env));
  return {
    ...run,
    json: <T>() =>
      run.stdout
        .split("\n")
        .filter((line) => line.trim().length > 0)
        .map((line) => JSON.parse(line) as T),
  };
};
