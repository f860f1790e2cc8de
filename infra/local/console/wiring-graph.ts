/**
 * The wiring as a graph for the console's diagram: the HTTP API, the functions, the tables,
 * topics and buckets, and an edge for every way records move between them — a trigger, an
 * HTTP route, a table write, a produce, a parked item, a mapping's on-failure destination.
 * Derived from the declaration alone, so a new function, topic or route is drawn without
 * touching the console. Nodes carry a column (`rank`): the shortest path from the API.
 *
 * @example
 * ```ts
 * const graph = wiringGraph(systemWiring);
 * graph.nodes.find((node) => node.id === "function:outbox-relay")?.rank; // 3
 * ```
 */
import type { DeadLetterPlace } from "../../../shared/dead-letters/inventory";
import type { FunctionDeclaration, SystemWiring, TableAction } from "../../wiring/types";

/** What a node stands for. */
export type NodeKind = "api" | "function" | "table" | "topic" | "bucket";

/** One box of the diagram. */
export interface GraphNode {
  /** `<kind>:<name>`, unique. */
  readonly id: string;
  readonly kind: NodeKind;
  readonly name: string;
  /** The column: 0 for the API, then one more per step away from it. */
  readonly rank: number;
}

/** How records move along an edge. */
export type EdgeKind =
  | "route"
  | "trigger"
  | "reads"
  | "writes"
  | "produces"
  | "parks"
  | "on-failure";

/** One arrow of the diagram. */
export interface GraphEdge {
  readonly from: string;
  readonly to: string;
  readonly kind: EdgeKind;
  /** The function the edge belongs to (invoked by it, or writing from it). */
  readonly functionName: string;
  /** The dead-letter place the edge fills, when it is one. */
  readonly place?: DeadLetterPlace;
}

/** The whole graph. */
export interface WiringGraph {
  readonly nodes: readonly GraphNode[];
  readonly edges: readonly GraphEdge[];
}

const WRITE_ACTIONS: ReadonlySet<TableAction> = new Set([
  "PutItem",
  "UpdateItem",
  "DeleteItem",
  "BatchWriteItem",
]);

const fnId = (name: string) => `function:${name}`;

/** The edges into a function: its trigger or its routes, and topics it reads without one. */
const inbound = (fn: FunctionDeclaration): GraphEdge[] => {
  const functionName = fn.name;
  const to = fnId(fn.name);
  const edges: GraphEdge[] = [];
  if (fn.trigger?.kind === "kafka") {
    edges.push({ from: `topic:${fn.trigger.topic}`, to, kind: "trigger", functionName });
  } else if (fn.trigger?.kind === "dynamodb-stream") {
    edges.push({ from: `table:${fn.trigger.table}`, to, kind: "trigger", functionName });
  }
  if ((fn.routes ?? []).length > 0)
    edges.push({ from: "api:HTTP API", to, kind: "route", functionName });
  const triggerTopic = fn.trigger?.kind === "kafka" ? fn.trigger.topic : undefined;
  const readTopics = [
    ...(fn.access.kafka?.consumeFrom ?? []),
    ...(fn.access.kafka?.read?.topics ?? []),
  ];
  for (const topic of new Set(readTopics)) {
    if (topic !== triggerTopic)
      edges.push({ from: `topic:${topic}`, to, kind: "reads", functionName });
  }
  for (const grant of fn.access.buckets ?? []) {
    if (grant.actions.includes("GetObject"))
      edges.push({ from: `bucket:${grant.bucket}`, to, kind: "reads", functionName });
  }
  return edges;
};

/** The edges out of a function: table writes, produces, parked items, on-failure places. */
const outbound = (fn: FunctionDeclaration): GraphEdge[] => {
  const functionName = fn.name;
  const from = fnId(fn.name);
  const dlqTopic = fn.environment.DEAD_LETTER_TOPIC;
  const edges: GraphEdge[] = [];
  for (const grant of fn.access.tables ?? []) {
    if (grant.actions.some((action) => WRITE_ACTIONS.has(action))) {
      edges.push({ from, to: `table:${grant.table}`, kind: "writes", functionName });
    }
  }
  for (const topic of fn.access.kafka?.produceTo ?? []) {
    const place = topic === dlqTopic ? { place: "dlq" as const } : {};
    edges.push({ from, to: `topic:${topic}`, kind: "produces", functionName, ...place });
  }
  for (const grant of fn.access.buckets ?? []) {
    if (!grant.actions.includes("PutObject")) continue;
    edges.push({
      from,
      to: `bucket:${grant.bucket}`,
      kind: "parks",
      functionName,
      place: "outbox-poison",
    });
  }
  const trigger = fn.trigger;
  if (trigger?.kind === "kafka" && trigger.mode.kind === "provisioned") {
    edges.push({
      from,
      to: `topic:${trigger.mode.onFailureTopic}`,
      kind: "on-failure",
      functionName,
      place: "on-failure",
    });
  } else if (trigger?.kind === "dynamodb-stream") {
    edges.push({
      from,
      to: `bucket:${trigger.onFailure.bucket}`,
      kind: "on-failure",
      functionName,
      place: "stream-aged-out",
    });
  }
  return edges;
};

/** Every node named by the wiring or an edge, in declaration order. */
const declaredNodes = (
  wiring: SystemWiring,
  edges: readonly GraphEdge[],
): Map<string, Omit<GraphNode, "rank">> => {
  const nodes = new Map<string, Omit<GraphNode, "rank">>();
  const add = (id: string) => {
    if (nodes.has(id)) return;
    const split = id.indexOf(":");
    nodes.set(id, { id, kind: id.slice(0, split) as NodeKind, name: id.slice(split + 1) });
  };
  if (wiring.functions.some((fn) => (fn.routes ?? []).length > 0)) add("api:HTTP API");
  for (const fn of wiring.functions) add(fnId(fn.name));
  for (const table of wiring.tables) add(`table:${table.name}`);
  for (const topic of wiring.topics) add(`topic:${topic.name}`);
  for (const bucket of wiring.buckets) add(`bucket:${bucket}`);
  for (const edge of edges) {
    add(edge.from);
    add(edge.to);
  }
  return nodes;
};

/** Shortest distance from the API (breadth first); what it never reaches goes last. */
const ranksOf = (ids: readonly string[], edges: readonly GraphEdge[]): Map<string, number> => {
  const ranks = new Map<string, number>();
  const start = ids.filter((id) => !edges.some((edge) => edge.to === id));
  const queue = start.map((id) => ({ id, rank: 0 }));
  for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
    if (ranks.has(next.id)) continue;
    ranks.set(next.id, next.rank);
    for (const edge of edges)
      if (edge.from === next.id) queue.push({ id: edge.to, rank: next.rank + 1 });
  }
  const last = Math.max(0, ...ranks.values()) + 1;
  for (const id of ids) if (!ranks.has(id)) ranks.set(id, last);
  return ranks;
};

/** The wiring's graph. */
export const wiringGraph = (wiring: SystemWiring): WiringGraph => {
  const edges = wiring.functions.flatMap((fn) => [...inbound(fn), ...outbound(fn)]);
  const nodes = declaredNodes(wiring, edges);
  const ranks = ranksOf([...nodes.keys()], edges);
  return {
    nodes: [...nodes.values()].map((node) => ({ ...node, rank: ranks.get(node.id) ?? 0 })),
    edges,
  };
};
