/**
 * The logs page: the tail of a chosen function's logs, filtered by level and trace id.
 *
 * @example
 * ```ts
 * const body = logsPage(["orders-api"], { functionName: "orders-api", lines: 200 }, lines);
 * ```
 */
import { LOG_LEVELS } from "../../dev-tools/log-tail";
import type { ConsoleLogLine } from "../console-data";
import { type Html, html } from "../html";
import { table } from "../layout";

/** What the page was asked for. */
export interface LogsQuery {
  readonly functionName: string;
  readonly level?: string;
  readonly traceId?: string;
  readonly lines: number;
}

const form = (functions: readonly string[], query: LogsQuery): Html =>
  html`<form method="get" action="/logs" class="filters" aria-label="Log filters">
<label for="function">Function</label>
<select id="function" name="function">${functions.map(
    (name) => html`<option${name === query.functionName ? html` selected` : ""}>${name}</option>`,
  )}</select>
<label for="level">Level</label>
<select id="level" name="level"><option value="">any</option>${LOG_LEVELS.map(
    (level) => html`<option${level === query.level ? html` selected` : ""}>${level}</option>`,
  )}</select>
<label for="trace">Trace id</label>
<input id="trace" name="trace" value="${query.traceId ?? ""}">
<button type="submit">Show</button>
</form>`;

/** The page body. */
export const logsPage = (
  functions: readonly string[],
  query: LogsQuery,
  lines: readonly ConsoleLogLine[],
): Html =>
  html`${form(functions, query)}
${table(
  `Last ${lines.length} log lines of ${query.functionName}`,
  ["time", "level", "message", "context", "trace id"],
  lines.map((line) => [
    line.time,
    html`<span class="level-${line.level.toLowerCase()}">${line.level}</span>`,
    line.message,
    line.context,
    line.traceId === undefined ? "–" : html`<code class="trace">${line.traceId}</code>`,
  ]),
  "no log lines",
)}`;
