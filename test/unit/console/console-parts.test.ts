/**
 * The console's pure parts (docs/console.md): HTML escaping, the wiring's graph, the
 * invocation counters and the marking of an event's copies on the topic, each on the real wiring or real event shapes.
 */
import { describe, expect, it } from "vitest";
import { withCopies } from "../../../infra/local/console/console-data";
import { html } from "../../../infra/local/console/html";
import { InvocationStats } from "../../../infra/local/console/invocation-stats";
import { wiringGraph } from "../../../infra/local/console/wiring-graph";
import {
  ORDER_EVENTS_DLQ_TOPIC,
  ORDER_EVENTS_ON_FAILURE_TOPIC,
  OUTBOX_DEAD_LETTER_BUCKET,
  systemWiring,
} from "../../../infra/wiring/system-wiring";

const kafkaBatch = (
  records: readonly { partition: number; offset: number; eventId: string }[],
) => ({
  eventSource: "aws:kafka",
  records: {
    "order-events-0": records.map((record) => ({
      topic: "order-events",
      partition: record.partition,
      offset: record.offset,
      value: Buffer.from(JSON.stringify({ event_id: record.eventId })).toString("base64"),
    })),
  },
});

describe("html", () => {
  it("escapes every interpolated text, so a record's bytes never become markup", () => {
    // Act
    const cell = html`<td title="${'"><script>'}">${"<b>&'"}</td>`;

    // Assess
    expect(cell.text).toBe('<td title="&quot;&gt;&lt;script&gt;">&lt;b&gt;&amp;&#39;</td>');
  });

  it("keeps nested Html and joins lists", () => {
    // Act
    const list = html`<ul>${["a<", "b"].map((item) => html`<li>${item}</li>`)}</ul>`;

    // Assess
    expect(list.text).toBe("<ul><li>a&lt;</li><li>b</li></ul>");
  });
});

describe("wiringGraph", () => {
  it("draws every declared function, and each dead-letter place as its own edge", () => {
    // Act
    const graph = wiringGraph(systemWiring);

    // Assess
    const names = graph.nodes.filter((node) => node.kind === "function").map((node) => node.name);
    expect(names).toEqual(systemWiring.functions.map((fn) => fn.name));
    const places = new Set(
      graph.edges.flatMap((edge) => (edge.place === undefined ? [] : [`${edge.place} ${edge.to}`])),
    );
    expect(places).toEqual(
      new Set([
        `dlq topic:${ORDER_EVENTS_DLQ_TOPIC}`,
        `on-failure topic:${ORDER_EVENTS_ON_FAILURE_TOPIC}`,
        `outbox-poison bucket:${OUTBOX_DEAD_LETTER_BUCKET}`,
        `stream-aged-out bucket:${OUTBOX_DEAD_LETTER_BUCKET}`,
      ]),
    );
  });

  it("puts each step one column after the one feeding it, from the HTTP API", () => {
    // Act
    const rank = new Map(wiringGraph(systemWiring).nodes.map((node) => [node.id, node.rank]));

    // Assess
    expect(rank.get("api:HTTP API")).toBe(0);
    expect(rank.get("function:orders-api")).toBe(1);
    expect(rank.get("table:orders")).toBe(2);
    expect(rank.get("function:outbox-relay")).toBe(3);
    expect(rank.get("topic:order-events")).toBe(4);
    expect(rank.get("function:order-created")).toBe(5);
  });
});

describe("InvocationStats", () => {
  it("counts invocations, errors and cold starts per function", () => {
    // Prepare
    const stats = new InvocationStats();
    const timing = { startedAt: 1_000, endedAt: 1_042 };

    // Act
    stats.observe(
      "order-created",
      {},
      { ok: true, value: null, requestId: "a", coldStart: true },
      timing,
    );
    stats.observe(
      "order-created",
      {},
      { ok: false, requestId: "b", error: { errorType: "Sandbox.Timedout", errorMessage: "t" } },
      timing,
    );

    // Assess
    expect(stats.ofFunction("order-created")).toMatchObject({
      invocations: 2,
      errors: 1,
      coldStarts: 1,
      lastDurationMs: 42,
      lastError: "Sandbox.Timedout",
    });
    expect(stats.ofFunction("order-shipped").invocations).toBe(0);
  });

  it("says which records of a batch a partial batch response left to be retried", () => {
    // Prepare
    const stats = new InvocationStats();
    const event = kafkaBatch([
      { partition: 0, offset: 7, eventId: "e7" },
      { partition: 0, offset: 8, eventId: "e8" },
      { partition: 0, offset: 9, eventId: "e9" },
    ]);
    const value = {
      batchItemFailures: [{ itemIdentifier: { partition: "order-events-0", offset: 8 } }],
    };

    // Act
    stats.observe(
      "order-created",
      event,
      { ok: true, value, requestId: "r" },
      { startedAt: 0, endedAt: 5 },
    );

    // Assess
    expect(
      ["e7", "e8", "e9"].map((id) => stats.handlingsOf(id).map((each) => each.outcome)),
    ).toEqual([["returned"], ["failed"], ["failed"]]);
  });
});

describe("withCopies", () => {
  const record = (offset: number, eventId: string | undefined) => ({
    topic: "order-events",
    partition: 3,
    offset,
    timestamp: new Date(0),
    key: "ord-1",
    headers: {},
    eventType: "OrderCreated",
    eventId,
    traceId: undefined,
  });

  it("marks a record whose event came before as a copy of the first, and nothing else", () => {
    // Prepare: the relay published evt-1 again after evt-2 (at least once)
    const records = [
      record(7, "evt-1"),
      record(8, "evt-2"),
      record(9, "evt-1"),
      record(10, undefined),
      record(11, undefined),
      record(12, "evt-1"),
    ];

    // Act
    const marked = withCopies(records).map(([each, copyOf]) => [each.offset, copyOf]);

    // Assess
    expect(marked).toEqual([
      [7, undefined],
      [8, undefined],
      [9, 7],
      [10, undefined],
      [11, undefined],
      [12, 7],
    ]);
  });
});
