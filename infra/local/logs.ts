/**
 * `npm run logs -- <function> [--follow] [--raw] [--level L] [--trace ID] [--lines N]`: a
 * readable tail of a function's log file (`docs/developer-tools.md`, "npm run logs"): per
 * line the time, level, message, the record's or request's context and the trace id; `--raw`
 * prints the lines as written. Lines that are not JSON (a crash's stack) are printed as they
 * are. `--follow` keeps printing what is appended, also when the file appears only later.
 * Exit codes: 0, 2 bad usage or a function the wiring does not declare.
 *
 * @example
 * ```sh
 * npm run logs -- order-created --level warn
 * npm run -s logs -- orders-api --follow --raw | jq .
 * ```
 */
import { systemWiring } from "../wiring/system-wiring";
import { exitQuietlyWhenStdoutCloses } from "./dev-tools/closed-stdout";
import {
  formatLogEntry,
  functionLogFile,
  type LogEntry,
  LogFollower,
  logFileSize,
  readLogTail,
} from "./dev-tools/log-tail";
import {
  LOGS_USAGE,
  type LogsOptions,
  LogsUsageError,
  readLogsOptions,
} from "./dev-tools/logs-options";
import { readServiceSettings } from "./services/service-settings";

exitQuietlyWhenStdoutCloses();

const print = (options: LogsOptions) => (entry: LogEntry) => {
  process.stdout.write(`${options.raw ? entry.raw : formatLogEntry(entry)}\n`);
};

/** Follows the file until SIGINT or SIGTERM; a file that cannot be read any more throws. */
const follow = async (file: string, from: number, options: LogsOptions): Promise<void> => {
  let failure: unknown;
  let end: () => void = () => undefined;
  const ended = new Promise<void>((done) => {
    end = done;
    process.once("SIGINT", done);
    process.once("SIGTERM", done);
  });
  const follower = new LogFollower(file, options, print(options), (error) => {
    failure = error;
    end();
  });
  await follower.start(from);
  // Only now: a line appended after this message is printed.
  process.stderr.write(`following ${file} (Ctrl-C to stop)\n`);
  await ended;
  await follower.stop();
  if (failure !== undefined) throw failure;
};

const main = async (args: readonly string[]): Promise<number> => {
  if (args.includes("--help") || args.includes("-h")) {
    process.stdout.write(`${LOGS_USAGE}\n`);
    return 0;
  }
  let options: LogsOptions;
  try {
    options = readLogsOptions(
      args,
      systemWiring.functions.map((fn) => fn.name),
    );
  } catch (error) {
    if (!(error instanceof LogsUsageError)) throw error;
    process.stderr.write(`${error.message}\n${LOGS_USAGE}\n`);
    return 2;
  }
  const file = functionLogFile(readServiceSettings(process.env).logDir, options.functionName);
  // The tail ends where following begins: no line is missed or printed twice.
  const end = (await logFileSize(file)) ?? 0;
  const entries = await readLogTail(file, { ...options, end });
  for (const entry of entries) print(options)(entry);
  if (options.follow) {
    await follow(file, end, options);
  } else if (entries.length === 0) {
    process.stderr.write(`no log lines of ${options.functionName} to show in ${file}\n`);
  }
  return 0;
};

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(
      `${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}\n`,
    );
    process.exitCode = 1;
  },
);
