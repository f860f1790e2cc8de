/**
 * The order's life: its write-side state and version, its outbox items, its events on the
 * topic (partition, offset, headers) with the functions that handled each, its view and its
 * customer's stats, its dead letters, and the trace id of every step.
 *
 * @example
 * ```ts
 * const body = orderPage("ord-1", await data.orderLife("ord-1"));
 * ```
 */
import type { OrderLife } from "../console-data";
import { type Html, html } from "../html";
import { table, timeText } from "../layout";

const json = (value: unknown): Html => html`<pre>${JSON.stringify(value, null, 2)}</pre>`;

const traceLink = (traceId: string | undefined, functionName?: string): Html | string =>
  traceId === undefined
    ? "–"
    : html`<code class="trace">${traceId}</code>${functionName === undefined ? "" : html` <a href="/logs?function=${functionName}&amp;trace=${traceId}">logs</a>`}`;

const searchForm = (orderId: string): Html =>
  html`<form method="get" action="/orders" role="search">
<label for="order-id">Order id</label>
<input id="order-id" name="id" value="${orderId}" required>
<button type="submit">Show</button>
</form>`;

const eventsTable = (life: OrderLife): Html =>
  table(
    `Events on the topic (${life.events.length})`,
    ["event", "partition", "offset", "published", "handled by", "trace id", "headers"],
    life.events.map(({ record, handlings, copyOf }) => [
      html`${record.eventType ?? "?"}<br><code>${record.eventId ?? "no event id"}</code>${copyOf === undefined ? "" : html`<br><small class="copy">a copy of offset ${copyOf} (published again)</small>`}`,
      record.partition,
      record.offset,
      timeText(record.timestamp),
      handlings.length === 0
        ? "not yet"
        : html`<ul>${handlings.map((each) => html`<li>${each.functionName}: ${each.outcome} at ${timeText(each.at)}</li>`)}</ul>`,
      traceLink(record.traceId, handlings[0]?.functionName),
      html`<details><summary>${Object.keys(record.headers).length} headers</summary>${json(record.headers)}</details>`,
    ]),
    "no events on the topic yet",
  );

const lifeSections = (life: OrderLife): Html =>
  html`<h2>Write side</h2>
${life.state === undefined ? html`<p>No state item in the orders table.</p>` : html`<p>Status <strong class="order-status">${String(life.state.status)}</strong>, version ${String(life.state.version)}.</p>${json(life.state)}`}
${table(
  `Outbox items (${life.outbox.length})`,
  ["item", "event", "version", "written", "trace id"],
  life.outbox.map((row) => [
    row.sk,
    html`${row.eventType}<br><code>${row.eventId}</code>`,
    row.version,
    timeText(row.createdAt),
    traceLink(row.traceId, "orders-api"),
  ]),
  "no outbox items (they expire after publishing)",
)}
<h2>Events</h2>
${eventsTable(life)}
<h2>Read model</h2>
<h3>View</h3>
${life.view === undefined ? html`<p>No view yet.</p>` : json(life.view)}
<h3>Customer's stats</h3>
${life.stats === undefined ? html`<p>No stats yet.</p>` : json(life.stats)}
<h2>Dead letters</h2>
${table(
  `Dead letters of this order (${life.deadLetters.length})`,
  ["id", "kind", "reason", "function"],
  life.deadLetters.map((letter) => [
    html`<a href="/dead-letters/show?id=${letter.id}">${letter.id}</a>`,
    letter.kind,
    letter.reason,
    letter.function ?? "–",
  ]),
  "none",
)}`;

/** The page: the search form, then the order's life or why there is none. */
export const orderPage = (orderId: string, life: OrderLife | undefined): Html =>
  html`${searchForm(orderId)}
${orderId === "" ? html`<p>Enter an order id (the <code>order_id</code> the API answered with).</p>` : life === undefined ? html`<p role="alert">Nothing is known of order <code>${orderId}</code>.</p>` : html`<section aria-label="Order ${orderId}">${lifeSections(life)}</section>`}`;
