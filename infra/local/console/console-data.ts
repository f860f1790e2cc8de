/**
 * What the console's pages show, read from the running system: the wiring, the invocations
 * the runtime observed, the topics (followed by a {@link TopicTail}), the tables, the dead
 * letters (through the same transport as `npm run dead-letters`), mapping lag and logs
 * (the `lag` and `logs` tools' readers). Reads that cost a round trip are cached briefly, so
 * a page open in a browser does not load the system.
 *
 * @example
 * ```ts
 * const data = new ConsoleData(dependencies);
 * const overview = await data.overview();
 * const life = await data.orderLife("ord-1");
 * ```
 */

import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, QueryCommand } from "@aws-sdk/lib-dynamodb";
import type { Kafka } from "kafkajs";
import type {
  DeadLetterAnswer,
  DeadLetterRequest,
  DeadLetterSummary,
} from "../../../shared/dead-letters/inventory";
import { traceIdOf } from "../../../shared/observability/trace-context";
import { orderPartitionKey } from "../../../shared/orders/order-repository";
import { OUTBOX_SORT_KEY_PREFIX } from "../../../shared/outbox/outbox-item";
import { createReadModelQueries } from "../../../shared/read-model";
import type { CustomerStats } from "../../../shared/read-model/customer-stats";
import type { OrderView } from "../../../shared/read-model/order-view";
import type { FunctionDeclaration, SystemWiring } from "../../wiring/types";
import type { DeadLetterTransport } from "../dead-letters/local-transport";
import type { MappingLagRows } from "../dev-tools/lag-report";
import type { EventHandling, FunctionStats, InvocationStats } from "./invocation-stats";
import type { DiagramCounts } from "./pages/diagram";
import type { TailedRecord, TopicTail } from "./topic-tail";

/** How far one mapping is behind, as the `lag` tool describes it. */
export type MappingLag = MappingLagRows;

/** One log line of a function, as the `logs` tool reads it. */
export interface ConsoleLogLine {
  readonly time: string;
  readonly level: string;
  readonly message: string;
  readonly traceId: string | undefined;
  readonly context: string;
}

/** Everything the console reads through other tools, injected so it reuses them. */
export interface ConsoleDependencies {
  readonly wiring: SystemWiring;
  readonly stats: InvocationStats;
  readonly tail: TopicTail;
  readonly kafka: Kafka;
  readonly dynamodb: DynamoDBClient;
  /** Physical table name of a declared table. */
  readonly tableName: (logicalName: string) => string;
  readonly deadLetters: DeadLetterTransport;
  readonly lag: () => Promise<readonly MappingLag[]>;
  readonly logs: (
    functionName: string,
    filter: { readonly level?: string; readonly traceId?: string; readonly lines: number },
  ) => Promise<readonly ConsoleLogLine[]>;
  readonly services: () => Promise<
    readonly { readonly name: string; readonly up: boolean; readonly endpoint: string }[]
  >;
  readonly ordersTable: string;
  readonly readModelTable: string;
  readonly eventsTopic: string;
  /** How long a costly read is reused; 2 s unless given. */
  readonly cacheMs?: number;
}

/** The filters of a dead-letters request, as the command line sends them. */
export type LetterFilters = Extract<DeadLetterRequest, { command: "list" }>["filters"];

/** One function on the overview. */
export interface FunctionRow {
  readonly declaration: FunctionDeclaration;
  readonly trigger: string;
  readonly stats: FunctionStats;
}

/** The overview page's data. */
export interface Overview {
  readonly functions: readonly FunctionRow[];
  readonly mappings: readonly MappingLag[];
  readonly topics: readonly {
    readonly name: string;
    readonly partitions: readonly { readonly partition: number; readonly end: number }[];
  }[];
  readonly services: readonly {
    readonly name: string;
    readonly up: boolean;
    readonly endpoint: string;
  }[];
  readonly readAt: Date;
}

/** One outbox item of an order, as stored. */
export interface OutboxRow {
  readonly sk: string;
  readonly eventType: string;
  readonly eventId: string;
  readonly version: number;
  readonly createdAt: string;
  readonly traceId: string | undefined;
}

/** One of the order's events on the topic, and who handled it. */
export interface OrderEventRow {
  readonly record: TailedRecord;
  readonly handlings: readonly EventHandling[];
  /**
   * The offset of an earlier record of the same event when this one is a copy: the relay
   * publishes at least once, so an event may be on the topic twice (consumers apply it once).
   */
  readonly copyOf: number | undefined;
}

/**
 * Pairs each record with the offset of the first record of the same event before it, if any
 * (records in topic order; those without an event id are never copies).
 *
 * @example
 * ```ts
 * withCopies([a, b, aAgain]).map(([, copyOf]) => copyOf); // [undefined, undefined, a.offset]
 * ```
 */
export const withCopies = (
  records: readonly TailedRecord[],
): (readonly [TailedRecord, number | undefined])[] => {
  const first = new Map<string, number>();
  return records.map((record) => {
    const earlier = record.eventId === undefined ? undefined : first.get(record.eventId);
    if (record.eventId !== undefined && earlier === undefined)
      first.set(record.eventId, record.offset);
    return [record, earlier] as const;
  });
};

/** Everything the system holds of one order. */
export interface OrderLife {
  readonly orderId: string;
  readonly state: Readonly<Record<string, unknown>> | undefined;
  readonly outbox: readonly OutboxRow[];
  readonly events: readonly OrderEventRow[];
  readonly view: OrderView | undefined;
  readonly stats: CustomerStats | undefined;
  readonly deadLetters: readonly DeadLetterSummary[];
}

/** A short text for a function's trigger. */
export const describeTrigger = (fn: FunctionDeclaration): string => {
  const trigger = fn.trigger;
  if (trigger?.kind === "kafka") {
    const types = trigger.filters.flatMap((filter) => {
      const value = filter.value;
      const eventType =
        value !== undefined && !Array.isArray(value)
          ? (value as Record<string, unknown>).event_type
          : undefined;
      return Array.isArray(eventType) ? eventType.map(String) : [];
    });
    return `Kafka ${trigger.topic} (${types.length > 0 ? types.join(", ") : "every record"})`;
  }
  if (trigger?.kind === "dynamodb-stream") return `DynamoDB stream of ${trigger.table}`;
  if ((fn.routes ?? []).length > 0) return `HTTP API, ${fn.routes?.length} routes`;
  return "invoked directly";
};

/** A value kept for `ms`, then read again. */
class Cached<T> {
  #value: { at: number; promise: Promise<T> } | undefined;

  constructor(
    private readonly read: () => Promise<T>,
    private readonly ms: number,
  ) {}

  get(): Promise<T> {
    const now = Date.now();
    if (this.#value === undefined || now - this.#value.at > this.ms) {
      const promise = this.read();
      this.#value = { at: now, promise };
      promise.catch(() => {
        this.#value = undefined;
      });
    }
    return this.#value.promise;
  }
}

/** The console's reads, cached where they cost a round trip. */
export class ConsoleData {
  readonly #documents: DynamoDBDocumentClient;
  readonly #overview: Cached<Overview>;
  readonly #deadLetters: Cached<readonly DeadLetterSummary[]>;

  constructor(private readonly deps: ConsoleDependencies) {
    this.#documents = DynamoDBDocumentClient.from(deps.dynamodb);
    const ms = deps.cacheMs ?? 2_000;
    this.#overview = new Cached(() => this.#readOverview(), ms);
    this.#deadLetters = new Cached(() => this.#readDeadLetters({}), ms);
  }

  overview(): Promise<Overview> {
    return this.#overview.get();
  }

  /** Every dead letter (cached) or those the filters select (read now). */
  deadLetters(filters: LetterFilters = {}): Promise<readonly DeadLetterSummary[]> {
    return Object.keys(filters).length === 0
      ? this.#deadLetters.get()
      : this.#readDeadLetters(filters);
  }

  async #readDeadLetters(filters: LetterFilters): Promise<readonly DeadLetterSummary[]> {
    const answer = await this.deps.deadLetters.run({ command: "list", filters });
    return answer.command === "list" ? answer.entries : [];
  }

  async #readOverview(): Promise<Overview> {
    const { wiring, stats } = this.deps;
    const [mappings, services, topics] = await Promise.all([
      this.deps.lag(),
      this.deps.services(),
      this.#topicEnds(),
    ]);
    return {
      functions: wiring.functions.map((declaration) => ({
        declaration,
        trigger: describeTrigger(declaration),
        stats: stats.ofFunction(declaration.name),
      })),
      mappings,
      topics,
      services,
      readAt: new Date(),
    };
  }

  async #topicEnds(): Promise<Overview["topics"]> {
    const admin = this.deps.kafka.admin();
    await admin.connect();
    try {
      return await Promise.all(
        this.deps.wiring.topics.map(async (topic) => ({
          name: topic.name,
          partitions: (await admin.fetchTopicOffsets(topic.name))
            .map((each) => ({ partition: each.partition, end: Number(each.high) }))
            .sort((a, b) => a.partition - b.partition),
        })),
      );
    } finally {
      await admin.disconnect();
    }
  }

  /** The order's whole life; `undefined` when the system has nothing of it. */
  async orderLife(orderId: string): Promise<OrderLife | undefined> {
    const items = await this.#orderItems(orderId);
    const state = items.find((item) => item.item_type === "ORDER");
    const outbox = items
      .filter((item) => String(item.sk).startsWith(OUTBOX_SORT_KEY_PREFIX))
      .map(toOutboxRow);
    const events = withCopies(this.deps.tail.byKey(this.deps.eventsTopic, orderId)).map(
      ([record, copyOf]) => ({
        record,
        copyOf,
        handlings: record.eventId === undefined ? [] : this.deps.stats.handlingsOf(record.eventId),
      }),
    );
    const view = await this.#orNothing(() => this.#queries().orderView(orderId));
    const customerId =
      typeof state?.customer_id === "string" ? state.customer_id : view?.customer_id;
    const stats =
      customerId === undefined
        ? undefined
        : await this.#orNothing(() => this.#queries().customerStats(customerId));
    const eventIds = new Set([
      ...outbox.map((row) => row.eventId),
      ...events.flatMap((row) => row.record.eventId ?? []),
    ]);
    const deadLetters = (await this.deadLetters()).filter(
      (letter) => letter.event_id !== null && eventIds.has(letter.event_id),
    );
    if (state === undefined && events.length === 0 && view === undefined) return undefined;
    return { orderId, state, outbox, events, view, stats, deadLetters };
  }

  /** The diagram's edge counts: invocations, topic records, dead letters per place. */
  async diagramCounts(): Promise<DiagramCounts> {
    const [overview, letters] = await Promise.all([this.overview(), this.deadLetters()]);
    const ends = new Map(
      overview.topics.map((topic) => [
        topic.name,
        topic.partitions.reduce((sum, each) => sum + each.end, 0),
      ]),
    );
    return {
      invocations: (name) => {
        const stats = this.deps.stats.ofFunction(name);
        return { total: stats.invocations, ok: stats.invocations - stats.errors };
      },
      topicRecords: (topic) => ends.get(topic),
      letters: (place, functionName) =>
        letters.filter(
          (letter) =>
            letter.place === place &&
            (letter.function === functionName || letter.function === null),
        ).length,
      readAt: overview.readAt,
    };
  }

  /** The function's latest log lines, filtered. */
  logs(
    functionName: string,
    filter: { readonly level?: string; readonly traceId?: string; readonly lines: number },
  ) {
    return this.deps.logs(functionName, filter);
  }

  /** A redrive (or its dry run) of the dead letters the filters select, as the command does it. */
  async redrive(filters: LetterFilters, dryRun: boolean) {
    const answer = await this.deps.deadLetters.run({
      command: "redrive",
      filters,
      dryRun,
      again: false,
    });
    return answer.command === "redrive" ? answer.outcomes : [];
  }

  /** One dead letter whole, or `null`. */
  async deadLetter(id: string): Promise<Extract<DeadLetterAnswer, { command: "show" }>["entry"]> {
    const answer = await this.deps.deadLetters.run({ command: "show", id });
    return answer.command === "show" ? answer.entry : null;
  }

  async #orderItems(orderId: string): Promise<Record<string, unknown>[]> {
    const answer = await this.#documents.send(
      new QueryCommand({
        TableName: this.deps.ordersTable,
        KeyConditionExpression: "pk = :pk",
        ExpressionAttributeValues: { ":pk": orderPartitionKey(orderId) },
        ConsistentRead: true,
      }),
    );
    return answer.Items ?? [];
  }

  #queries() {
    return createReadModelQueries({
      client: this.deps.dynamodb,
      tableName: this.deps.readModelTable,
    });
  }

  async #orNothing<T>(read: () => Promise<T>): Promise<T | undefined> {
    try {
      return await read();
    } catch (error) {
      if (error instanceof Error && error.name.endsWith("NotFoundError")) return undefined;
      throw error;
    }
  }
}

const toOutboxRow = (item: Record<string, unknown>): OutboxRow => {
  const headers = (item.headers ?? {}) as Record<string, string>;
  return {
    sk: String(item.sk),
    eventType: String(item.event_type),
    eventId: String(item.event_id),
    version: Number(item.aggregate_version),
    createdAt: String(item.created_at),
    traceId: traceIdOf(headers.traceparent),
  };
};
