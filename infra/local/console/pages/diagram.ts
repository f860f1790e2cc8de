/**
 * The picture: the wiring drawn as an SVG diagram, one column per step from the HTTP API,
 * with the live count of each edge (a function's invocations, a topic's records, a place's
 * dead letters), and the same edges as a table for screen readers and keyboard users. The
 * `live` region is what the client script refreshes (`/diagram?fragment=live`).
 *
 * @example
 * ```ts
 * const body = diagramPage(wiringGraph(systemWiring), counts);
 * ```
 */

import { type Html, html } from "../html";
import { table, timeText } from "../layout";
import type { GraphEdge, GraphNode, WiringGraph } from "../wiring-graph";

/** What the edges are labelled with, read from the running system. */
export interface DiagramCounts {
  readonly invocations: (functionName: string) => { readonly total: number; readonly ok: number };
  /** Records on the topic: the sum of its partitions' end offsets. */
  readonly topicRecords: (topic: string) => number | undefined;
  /** Dead letters of the place written by the function (or by no function named). */
  readonly letters: (place: string, functionName: string) => number;
  readonly readAt: Date;
}

const BOX = { width: 150, height: 46 };
const GAP = { x: 110, y: 28 };
const MARGIN = 20;

interface Placed extends GraphNode {
  readonly x: number;
  readonly y: number;
}

/** Each node's box: its column from its rank, its row by declaration order in the column. */
const place = (nodes: readonly GraphNode[]): Map<string, Placed> => {
  const rows = new Map<number, number>();
  const placed = new Map<string, Placed>();
  for (const node of nodes) {
    const row = rows.get(node.rank) ?? 0;
    rows.set(node.rank, row + 1);
    placed.set(node.id, {
      ...node,
      x: MARGIN + node.rank * (BOX.width + GAP.x),
      y: MARGIN + row * (BOX.height + GAP.y),
    });
  }
  return placed;
};

/** The edge's live count, as a short text. */
export const edgeLabel = (edge: GraphEdge, to: GraphNode, counts: DiagramCounts): string => {
  if (edge.place !== undefined) return `${counts.letters(edge.place, edge.functionName)} letters`;
  if (edge.kind === "route" || edge.kind === "trigger") {
    return `${counts.invocations(edge.functionName).total} invocations`;
  }
  if (edge.kind === "writes") return `${counts.invocations(edge.functionName).ok} ok`;
  if (to.kind === "topic") return `${counts.topicRecords(to.name) ?? "?"} records`;
  return edge.kind;
};

const path = (from: Placed, to: Placed): { d: string; labelX: number; labelY: number } => {
  const x1 = from.x + BOX.width;
  const y1 = from.y + BOX.height / 2;
  const x2 = to.x;
  const y2 = to.y + BOX.height / 2;
  if (to.rank > from.rank) {
    const mid = (x1 + x2) / 2;
    return {
      d: `M${x1},${y1} C${mid},${y1} ${mid},${y2} ${x2},${y2}`,
      labelX: mid,
      labelY: (y1 + y2) / 2 - 4,
    };
  }
  // Back to an earlier column (a redrive): a loop under the boxes.
  const below = Math.max(from.y, to.y) + BOX.height + GAP.y * 0.8;
  const d = `M${from.x + BOX.width / 2},${from.y + BOX.height} C${from.x},${below} ${to.x + BOX.width},${below} ${to.x + BOX.width / 2},${to.y + BOX.height}`;
  return { d, labelX: (from.x + to.x + BOX.width) / 2, labelY: below - 6 };
};

const nodeBox = (node: Placed): Html =>
  html`<g class="node node-${node.kind}"><rect x="${node.x}" y="${node.y}" width="${BOX.width}" height="${BOX.height}" rx="6"></rect>
<text x="${node.x + BOX.width / 2}" y="${node.y + 19}" text-anchor="middle" class="node-kind">${node.kind}</text>
<text x="${node.x + BOX.width / 2}" y="${node.y + 36}" text-anchor="middle" class="node-name">${node.name}</text></g>`;

/** The SVG, sized to its columns and rows. */
const svg = (graph: WiringGraph, counts: DiagramCounts): Html => {
  const placed = place(graph.nodes);
  const all = [...placed.values()];
  const width = MARGIN * 2 + Math.max(...all.map((node) => node.x + BOX.width - MARGIN), 0);
  const height =
    MARGIN * 2 + Math.max(...all.map((node) => node.y + BOX.height - MARGIN), 0) + GAP.y * 2;
  const edges = graph.edges.flatMap((edge) => {
    const from = placed.get(edge.from);
    const to = placed.get(edge.to);
    if (from === undefined || to === undefined) return [];
    const line = path(from, to);
    return [
      html`<g class="edge edge-${edge.kind}${edge.place === undefined ? "" : " edge-dead-letters"}"><path d="${line.d}" marker-end="url(#arrow)"></path>
<text x="${line.labelX}" y="${line.labelY}" text-anchor="middle" class="edge-label">${edgeLabel(edge, to, counts)}</text></g>`,
    ];
  });
  return html`<svg class="diagram" viewBox="0 0 ${width} ${height}" role="img" aria-labelledby="diagram-title">
<title id="diagram-title">The wiring: HTTP API, functions, tables, topics and dead-letter places, with live counts</title>
<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z"></path></marker></defs>
${edges}
${all.map(nodeBox)}
</svg>`;
};

const edgesTable = (graph: WiringGraph, counts: DiagramCounts): Html => {
  const byId = new Map(graph.nodes.map((node) => [node.id, node]));
  return table(
    "Edges",
    ["from", "to", "how", "count"],
    graph.edges.flatMap((edge) => {
      const to = byId.get(edge.to);
      return to === undefined
        ? []
        : [[edge.from, edge.to, edge.place ?? edge.kind, edgeLabel(edge, to, counts)]];
    }),
  );
};

/** The live part: the picture and its table, with when they were read. */
export const diagramLive = (graph: WiringGraph, counts: DiagramCounts): Html =>
  html`<p class="status" role="status">Updated ${timeText(counts.readAt)}</p>
<div class="diagram-frame">${svg(graph, counts)}</div>
<h2>Edges</h2>
${edgesTable(graph, counts)}`;

/** The whole page body. */
export const diagramPage = (graph: WiringGraph, counts: DiagramCounts): Html =>
  html`<p>Generated from the wiring declaration (<code>infra/wiring/system-wiring.ts</code>); dashed red arrows fill a dead-letter place.</p>
<div id="live" data-refresh="/diagram?fragment=live">${diagramLive(graph, counts)}</div>`;
