/**
 * The overview page: every declared function with its trigger and invocation counters,
 * every mapping's lag, every topic's partitions and end offsets, and the services. The
 * `live` region is what the client script refreshes (`/?fragment=live`).
 *
 * @example
 * ```ts
 * const body = overviewPage(await data.overview());
 * ```
 */
import type { Overview } from "../console-data";
import { type Html, html } from "../html";
import { table, timeText } from "../layout";

const functionsTable = (overview: Overview): Html =>
  table(
    "Functions",
    [
      "function",
      "trigger",
      "invocations",
      "errors",
      "last duration",
      "cold starts",
      "last invoked",
    ],
    overview.functions.map((row) => [
      html`<a href="/logs?function=${row.declaration.name}">${row.declaration.name}</a>`,
      row.trigger,
      row.stats.invocations,
      row.stats.errors === 0
        ? "0"
        : html`<span class="bad">${row.stats.errors} (${row.stats.lastError ?? "error"})</span>`,
      row.stats.lastDurationMs === undefined ? "–" : `${row.stats.lastDurationMs.toFixed(0)} ms`,
      row.stats.coldStarts,
      timeText(row.stats.lastAt),
    ]),
  );

const mappingsTable = (overview: Overview): Html =>
  table(
    "Mappings",
    ["function", "source", "partition or shard", "position", "behind"],
    overview.mappings.flatMap((mapping) => [
      ...mapping.rows.map((row) => [
        mapping.functionName,
        mapping.source,
        row.label,
        row.position,
        row.behind,
      ]),
      [
        mapping.functionName,
        mapping.source,
        html`<strong>total</strong>`,
        "",
        html`<strong>${mapping.total}</strong>`,
      ],
    ]),
  );

const topicsTable = (overview: Overview): Html =>
  table(
    "Topics",
    ["topic", "partitions", "end offsets"],
    overview.topics.map((topic) => [
      topic.name,
      topic.partitions.length,
      topic.partitions.map((each) => `${each.partition}: ${each.end}`).join(", "),
    ]),
  );

const servicesList = (overview: Overview): Html =>
  html`<ul class="services" aria-label="Services">${overview.services.map(
    (service) =>
      html`<li><span class="${service.up ? "ok" : "bad"}">${service.up ? "up" : "down"}</span> ${service.name} <code>${service.endpoint}</code></li>`,
  )}</ul>`;

/** The live part: replaced in place every few seconds by the client script. */
export const overviewLive = (overview: Overview): Html =>
  html`<p class="status" role="status">Updated ${timeText(overview.readAt)}</p>
<h2>Services</h2>
${servicesList(overview)}
<h2>Functions</h2>
${functionsTable(overview)}
<h2>Mappings</h2>
${mappingsTable(overview)}
<h2>Topics</h2>
${topicsTable(overview)}`;

/** The whole page body. */
export const overviewPage = (overview: Overview): Html =>
  html`<div id="live" data-refresh="/?fragment=live">${overviewLive(overview)}</div>`;
