/**
 * The `logs` command's arguments: one declared function, then `--follow`, `--raw`,
 * `--level L` (at least that level), `--trace ID` and `--lines N`. Bad input is a
 * {@link LogsUsageError} naming the argument; a function the wiring does not declare names
 * the declared ones.
 *
 * @example
 * ```ts
 * readLogsOptions(["order-created", "--level", "warn"], ["order-created"]);
 * // { functionName: "order-created", follow: false, raw: false, level: "WARN", traceId: undefined, lines: 20 }
 * ```
 */
import { parseArgs } from "node:util";
import { LOG_LEVELS, type LogLevel } from "./log-tail";

/** What `npm run logs` was asked for. */
export interface LogsOptions {
  readonly functionName: string;
  readonly follow: boolean;
  readonly raw: boolean;
  readonly level: LogLevel | undefined;
  readonly traceId: string | undefined;
  readonly lines: number;
}

/** The usage line printed with a usage error and for `--help`. */
export const LOGS_USAGE = `usage: npm run logs -- <function> [--follow] [--raw] [--level ${LOG_LEVELS.join("|")}] [--trace ID] [--lines N (default 20)]`;

/** The arguments do not make a request; the message says why, then the usage. */
export class LogsUsageError extends Error {
  override readonly name = "LogsUsageError";
}

const DEFAULT_LINES = 20;

const levelOf = (value: string | undefined): LogLevel | undefined => {
  if (value === undefined) return undefined;
  const level = LOG_LEVELS.find((each) => each === value.toUpperCase());
  if (level === undefined) {
    throw new LogsUsageError(`--level: "${value}" is not one of ${LOG_LEVELS.join(", ")}`);
  }
  return level;
};

const linesOf = (value: string | undefined): number => {
  if (value === undefined) return DEFAULT_LINES;
  const lines = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(lines)) {
    throw new LogsUsageError(`--lines: "${value}" is not a whole number`);
  }
  return lines;
};

/** Reads the arguments; throws {@link LogsUsageError}. */
export const readLogsOptions = (
  args: readonly string[],
  declaredFunctions: readonly string[],
): LogsOptions => {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(args);
  } catch (error) {
    throw new LogsUsageError(error instanceof Error ? error.message : String(error));
  }
  const { values, positionals } = parsed;
  const [functionName, ...extra] = positionals;
  if (functionName === undefined) throw new LogsUsageError("name a function");
  if (extra.length > 0) throw new LogsUsageError(`one function only, not also ${extra.join(" ")}`);
  if (!declaredFunctions.includes(functionName)) {
    throw new LogsUsageError(
      `no function "${functionName}" in the wiring; declared: ${declaredFunctions.join(", ")}`,
    );
  }
  return {
    functionName,
    follow: values.follow === true,
    raw: values.raw === true,
    level: levelOf(values.level),
    traceId: values.trace,
    lines: linesOf(values.lines),
  };
};

const parse = (args: readonly string[]) =>
  parseArgs({
    args: [...args],
    options: {
      follow: { type: "boolean", short: "f" },
      raw: { type: "boolean" },
      level: { type: "string" },
      trace: { type: "string" },
      lines: { type: "string", short: "n" },
    },
    strict: true,
    allowPositionals: true,
  });
