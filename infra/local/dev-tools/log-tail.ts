/**
 * A function's log file read as entries (`npm run logs`, and the local console's log page).
 * A sandbox writes whatever the function prints to `<log dir>/functions/<function>.log`:
 * Powertools Logger's JSON lines, the metrics' JSON lines (CloudWatch EMF), and plain text
 * (a crash's stack, a stray `console.log`). Each line becomes a {@link LogEntry}: a JSON log
 * line its level, time, message, trace ids (`trace_id`, else `xray_trace_id`; or the list
 * `trace_ids` of a line about a batch of several traces, as the relay's) and context (the
 * record's topic/partition/offset, the request's route, the event's type and id, the Lambda
 * request id); a metrics line its values; any other line its text, never dropped.
 *
 * @example
 * ```ts
 * const entries = await readLogTail(functionLogFile(services.logDir, "order-created"), { lines: 20, level: "WARN" });
 * const follower = new LogFollower(file, { level: "ERROR" }, (entry) => console.log(formatLogEntry(entry)));
 * follower.start(); // ... follower.stop();
 * ```
 */
import { createReadStream } from "node:fs";
import { open, stat } from "node:fs/promises";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { StringDecoder } from "node:string_decoder";

/** Powertools' levels, lowest first. */
export const LOG_LEVELS = ["TRACE", "DEBUG", "INFO", "WARN", "ERROR", "CRITICAL"] as const;

/** One of Powertools' levels. */
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Where a log line came from: the record, the request and the event it is about. */
export interface LogContext {
  readonly topic?: string;
  readonly partition?: number;
  readonly offset?: number;
  /** The HTTP route key, e.g. "POST /orders". */
  readonly route?: string;
  readonly eventType?: string;
  readonly eventId?: string;
  /** The Lambda request id of the invocation. */
  readonly requestId?: string;
}

/** One line of a function's log. */
export interface LogEntry {
  /** `log`: a Powertools line; `metrics`: an EMF line; `text`: anything else. */
  readonly kind: "log" | "metrics" | "text";
  /** The line's level as logged (upper case), `undefined` for metrics and text. */
  readonly level: string | undefined;
  /** The line's ISO timestamp, `undefined` when it has none. */
  readonly time: string | undefined;
  /** The message; a metrics line's values; a text line's text. */
  readonly message: string;
  /** The trace the line is about, when it is about one. */
  readonly traceId: string | undefined;
  /** Every trace the line is about: its `traceId`, or each of a batch line's `trace_ids`. */
  readonly traceIds: readonly string[];
  readonly context: LogContext;
  /** The keys not shown elsewhere (counts, `errorClass`, `errorMessage`, ...). */
  readonly details: Readonly<Record<string, unknown>>;
  /** The line exactly as written. */
  readonly raw: string;
}

/** Which entries to keep: at least `level` (metrics lines have none), of the trace. */
export interface LogFilter {
  readonly level?: LogLevel;
  readonly traceId?: string;
}

/** Keys every Powertools line carries that a reader does not need to see again. */
const PLAIN_KEYS = new Set([
  "level",
  "message",
  "timestamp",
  "service",
  "cold_start",
  "function_arn",
  "function_memory_size",
  "function_name",
  "function_request_id",
  "sampling_rate",
  "trace_id",
  "trace_ids",
  "xray_trace_id",
  "topic",
  "partition",
  "offset",
  "route",
  "event_type",
  "event_id",
]);

/**
 * The log file of a function under the runtime's log folder.
 *
 * @example
 * ```ts
 * functionLogFile(readServiceSettings(process.env).logDir, "orders-api"); // ".../.local/logs/functions/orders-api.log"
 * ```
 */
export const functionLogFile = (logDir: string, functionName: string): string =>
  join(logDir, "functions", `${functionName}.log`);

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

const text = (value: unknown): string | undefined =>
  typeof value === "string" && value.length > 0 ? value : undefined;

const integer = (value: unknown): number | undefined =>
  typeof value === "number" && Number.isInteger(value) ? value : undefined;

/** Drops the keys whose value is undefined, so a context holds only what the line had. */
const defined = <T extends object>(value: T): T =>
  Object.fromEntries(Object.entries(value).filter(([, each]) => each !== undefined)) as T;

const contextOf = (line: Record<string, unknown>): LogContext =>
  defined({
    topic: text(line.topic),
    partition: integer(line.partition),
    offset: integer(line.offset),
    route: text(line.route),
    eventType: text(line.event_type),
    eventId: text(line.event_id),
    requestId: text(line.function_request_id),
  });

/** The line's traces: its `trace_id` (else `xray_trace_id`), or its `trace_ids` list. */
const traceIdsOf = (line: Record<string, unknown>): readonly string[] => {
  const one = text(line.trace_id) ?? text(line.xray_trace_id);
  if (one !== undefined) return [one];
  const many: unknown = line.trace_ids;
  return Array.isArray(many) ? many.filter((id): id is string => text(id) !== undefined) : [];
};

/** An EMF line: its metric values as the message. */
const metricsEntry = (line: Record<string, unknown>, raw: string): LogEntry => {
  const { _aws: _, service: __, ...values } = line;
  const timestamp = isObject(line._aws) ? line._aws.Timestamp : undefined;
  return {
    kind: "metrics",
    level: undefined,
    time: typeof timestamp === "number" ? new Date(timestamp).toISOString() : undefined,
    message: Object.entries(values)
      .map(([name, value]) => `${name}=${JSON.stringify(value)}`)
      .join(" "),
    traceId: undefined,
    traceIds: [],
    context: {},
    details: {},
    raw,
  };
};

/**
 * One line of a function's log as an entry.
 *
 * @example
 * ```ts
 * parseLogLine('{"level":"INFO","message":"Kafka batch consumed","timestamp":"2026-12-02T13:15:21.781Z"}').level; // "INFO"
 * parseLogLine("    at handler (file.ts:3:9)").kind; // "text"
 * ```
 */
export const parseLogLine = (raw: string): LogEntry => {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    parsed = undefined;
  }
  if (!isObject(parsed) || (parsed._aws === undefined && typeof parsed.message !== "string")) {
    return {
      kind: "text",
      level: undefined,
      time: undefined,
      message: raw,
      traceId: undefined,
      traceIds: [],
      context: {},
      details: {},
      raw,
    };
  }
  if (parsed._aws !== undefined) return metricsEntry(parsed, raw);
  const traceIds = traceIdsOf(parsed);
  return {
    kind: "log",
    level: text(parsed.level)?.toUpperCase(),
    time: text(parsed.timestamp),
    message: String(parsed.message),
    traceId: traceIds.length === 1 ? traceIds[0] : undefined,
    traceIds,
    context: contextOf(parsed),
    details: Object.fromEntries(Object.entries(parsed).filter(([key]) => !PLAIN_KEYS.has(key))),
    raw,
  };
};

/**
 * Whether the filter keeps the entry. Text lines are always kept (a crash's stack has no
 * level or trace, and must not be hidden); metrics lines only without a filter.
 *
 * @example
 * ```ts
 * matchesLogFilter(parseLogLine('{"level":"WARN","message":"m"}'), { level: "WARN" }); // true
 * ```
 */
export const matchesLogFilter = (entry: LogEntry, filter: LogFilter): boolean => {
  if (entry.kind === "text") return true;
  if (filter.level !== undefined) {
    const rank = LOG_LEVELS.indexOf((entry.level ?? "") as LogLevel);
    if (rank < LOG_LEVELS.indexOf(filter.level)) return false;
  }
  return filter.traceId === undefined || entry.traceIds.includes(filter.traceId);
};

/**
 * The last `lines` entries of the file the filter keeps, oldest first; none when the file
 * does not exist.
 *
 * @example
 * ```ts
 * await readLogTail(file, { lines: 50, level: "ERROR", traceId: "4bf92f3577b34da6a3ce929d0e0e4736" });
 * ```
 */
export const readLogTail = async (
  file: string,
  options: LogFilter & {
    readonly lines: number;
    /** Reads only the bytes before this offset (where a {@link LogFollower} then starts). */
    readonly end?: number;
  },
): Promise<LogEntry[]> => {
  const kept: LogEntry[] = [];
  if (options.end === 0) return kept;
  const stream = createReadStream(file, {
    encoding: "utf8",
    ...(options.end === undefined ? {} : { end: options.end - 1 }),
  });
  const lines = createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY });
  try {
    for await (const line of lines) {
      if (line.length === 0) continue;
      const entry = parseLogLine(line);
      if (!matchesLogFilter(entry, options)) continue;
      kept.push(entry);
      if (kept.length > options.lines) kept.shift();
    }
  } catch (error) {
    if (error instanceof Error && "code" in error && error.code === "ENOENT") return [];
    throw error;
  }
  return kept;
};

/** The context as short text: `order-events-1@115 POST /orders OrderCreated <id>`. */
export const formatLogContext = (context: LogContext): string =>
  [
    context.topic === undefined
      ? undefined
      : `${context.topic}-${context.partition ?? "?"}@${context.offset ?? "?"}`,
    context.route,
    context.eventType,
    context.eventId === undefined ? undefined : `event ${context.eventId}`,
  ]
    .filter((part) => part !== undefined)
    .join(" ");

/** A detail's value: a word as it is, anything else as JSON. */
const detailText = (value: unknown): string =>
  typeof value === "string" && /^[^\s"=]+$/.test(value) ? value : JSON.stringify(value);

/** `trace <id>` for a line about one trace, `<n> traces` for a batch's line. */
const traceText = ({ traceId, traceIds }: LogEntry): string => {
  if (traceId !== undefined) return `trace ${traceId}`;
  return traceIds.length > 1 ? `${traceIds.length} traces` : "";
};

/**
 * An entry as one readable line: time, level, message, context, trace id, the other keys.
 * A text line is shown as it is.
 *
 * @example
 * ```ts
 * formatLogEntry(entry);
 * // 2026-12-02T13:18:30.620Z WARN  Record is poison; dead-lettering it  [order-events-1@115 trace 4bf9...] errorClass=RecordDecodeError
 * ```
 */
export const formatLogEntry = (entry: LogEntry): string => {
  if (entry.kind === "text") return entry.raw;
  const where = [formatLogContext(entry.context), traceText(entry)]
    .filter((part) => part.length > 0)
    .join(" ");
  const details = Object.entries(entry.details)
    .map(([key, value]) => `${key}=${detailText(value)}`)
    .join(" ");
  return [
    entry.time ?? "-",
    (entry.level ?? "METRIC").padEnd(5),
    entry.message,
    where.length > 0 ? `[${where}]` : "",
    details,
  ]
    .filter((part) => part.length > 0)
    .join("  ");
};

/**
 * The file's size in bytes, `undefined` when it does not exist (yet).
 *
 * @example
 * ```ts
 * (await logFileSize(functionLogFile(logDir, "orders-api"))) ?? 0;
 * ```
 */
export const logFileSize = async (file: string): Promise<number | undefined> => {
  try {
    return (await stat(file)).size;
  } catch (error) {
    if (error instanceof Error && "code" in error && error.code === "ENOENT") return undefined;
    throw error;
  }
};

/** How often a follower looks at the file. */
const FOLLOW_INTERVAL_MS = 200;

/**
 * Follows a log file as it grows, from its end when started (from its start when the file
 * appears later, or was truncated or replaced by a shorter one), telling each new complete
 * line's entry the filter keeps.
 *
 * @example
 * ```ts
 * const follower = new LogFollower(file, {}, (entry) => console.log(formatLogEntry(entry)));
 * await follower.start();
 * await follower.stop();
 * ```
 */
export class LogFollower {
  #position = 0;
  #partial = "";
  /** Keeps a character whose bytes were split between two reads. */
  #decoder = new StringDecoder("utf8");
  #timer: NodeJS.Timeout | undefined;
  #reading: Promise<void> = Promise.resolve();

  constructor(
    private readonly file: string,
    private readonly filter: LogFilter,
    private readonly onEntry: (entry: LogEntry) => void,
    /** Told when the file cannot be read; following then ends. */
    private readonly onError: (error: unknown) => void = () => undefined,
  ) {}

  /**
   * Starts at `from`, else at the file's current end (0 when it does not exist yet).
   *
   * @example
   * ```ts
   * const end = (await logFileSize(file)) ?? 0;
   * const tail = await readLogTail(file, { lines: 20, end }); // then nothing is missed or repeated
   * await new LogFollower(file, {}, print).start(end);
   * ```
   */
  async start(from?: number): Promise<void> {
    this.#position = from ?? (await logFileSize(this.file)) ?? 0;
    this.#timer = setInterval(() => {
      this.#reading = this.#reading
        .then(() => this.#readNew())
        .catch((error: unknown) => {
          clearInterval(this.#timer);
          this.onError(error);
        });
    }, FOLLOW_INTERVAL_MS);
  }

  /** Stops looking; a read in progress ends first. */
  async stop(): Promise<void> {
    clearInterval(this.#timer);
    await this.#reading;
  }

  /** Reads what was appended since the last look, and tells its complete lines. */
  async #readNew(): Promise<void> {
    const size = await logFileSize(this.file);
    if (size === undefined) return;
    if (size < this.#position) {
      this.#position = 0;
      this.#partial = "";
      this.#decoder = new StringDecoder("utf8");
    }
    if (size === this.#position) return;
    const handle = await open(this.file, "r");
    try {
      const buffer = Buffer.alloc(size - this.#position);
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, this.#position);
      this.#position += bytesRead;
      const lines = (this.#partial + this.#decoder.write(buffer.subarray(0, bytesRead))).split(
        "\n",
      );
      this.#partial = lines.pop() ?? "";
      for (const line of lines) {
        if (line.length === 0) continue;
        const entry = parseLogLine(line.replace(/\r$/, ""));
        if (matchesLogFilter(entry, this.filter)) this.onEntry(entry);
      }
    } finally {
      await handle.close();
    }
  }
}
