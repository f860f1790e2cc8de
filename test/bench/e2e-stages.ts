/**
 * The moments one order passes on its way from HTTP request to view, taken from real signals:
 * the client's clock around its request, the outbox item's `created_at` as the relay receives
 * it, the relay's and the consumer's invocations as the local runtime saw them
 * (`onTriggerInvocation`), and each record's Kafka timestamp. Every clock is this machine's.
 *
 * @example
 * ```ts
 * const clock = new StageClock();
 * startLocalRuntime({ ..., onTriggerInvocation: clock.observe });
 * clock.mark(orderId, "requested", Date.now());
 * await clock.viewWritten(orderId, 30_000);
 * clock.stagesOf(orderId); // { api_write: 41, stream_to_relay: 230, ... }
 * ```
 */
import type {
  InvocationTiming,
  TriggerInvocationObserver,
} from "../../infra/local/runtime/local-runtime";

/** The moments of one order, in epoch milliseconds. */
export type Mark =
  | "requested"
  | "created"
  | "outboxWritten"
  | "relayStarted"
  | "relayEnded"
  | "recordTimestamp"
  | "consumerStarted"
  | "viewWritten"
  | "viewRead";

/** The stages the bench reports, each from one mark to a later one. */
export const STAGES = {
  api_write: ["requested", "created"],
  stream_to_relay: ["outboxWritten", "relayStarted"],
  relay_to_broker_ack: ["relayStarted", "relayEnded"],
  broker_to_consumer: ["recordTimestamp", "consumerStarted"],
  consumer_to_view: ["consumerStarted", "viewWritten"],
  view_read: ["viewWritten", "viewRead"],
} as const satisfies Record<string, readonly [Mark, Mark]>;

/** A stage's name. */
export type StageName = keyof typeof STAGES;

interface StreamImage {
  readonly aggregate_id?: { readonly S?: string };
  readonly event_type?: { readonly S?: string };
  readonly created_at?: { readonly S?: string };
}

interface KafkaRecordShape {
  readonly value?: string | null;
  readonly timestamp?: number;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null;

/** The `OrderCreated` outbox items of a stream event: order id and `created_at`. */
const outboxItemsOf = (event: unknown): { orderId: string; createdAt: number }[] => {
  if (!isObject(event) || !Array.isArray(event.Records)) return [];
  return event.Records.flatMap((record: unknown) => {
    const image = (isObject(record) && isObject(record.dynamodb) ? record.dynamodb.NewImage : {}) as
      | StreamImage
      | undefined;
    const orderId = image?.aggregate_id?.S;
    const createdAt = Date.parse(image?.created_at?.S ?? "");
    if (orderId === undefined || image?.event_type?.S !== "OrderCreated") return [];
    return Number.isNaN(createdAt) ? [] : [{ orderId, createdAt }];
  });
};

/** The `OrderCreated` records of an MSK event: order id and Kafka timestamp. */
const createdRecordsOf = (event: unknown): { orderId: string; timestamp: number }[] => {
  if (!isObject(event) || !isObject(event.records)) return [];
  return Object.values(event.records).flatMap((records: unknown) =>
    (Array.isArray(records) ? (records as KafkaRecordShape[]) : []).flatMap((record) => {
      if (typeof record.value !== "string" || record.timestamp === undefined) return [];
      try {
        const value = JSON.parse(Buffer.from(record.value, "base64").toString("utf8")) as unknown;
        if (!isObject(value) || value.event_type !== "OrderCreated") return [];
        const orderId = value.aggregate_id;
        return typeof orderId === "string" ? [{ orderId, timestamp: record.timestamp }] : [];
      } catch {
        return [];
      }
    }),
  );
};

/** One function's trigger invocations over a run, and the records they were handed. */
export interface BatchCount {
  readonly invocations: number;
  readonly records: number;
}

/** How many records a Lambda event hands over: an MSK event's or a stream event's. */
const recordCountOf = (event: unknown): number => {
  if (!isObject(event)) return 0;
  if (Array.isArray(event.Records)) return event.Records.length;
  if (!isObject(event.records)) return 0;
  return Object.values(event.records).reduce<number>(
    (sum, records) => sum + (Array.isArray(records) ? records.length : 0),
    0,
  );
};

/** Collects each order's marks; tells a waiting client once its view was written. */
export class StageClock {
  readonly #marks = new Map<string, Partial<Record<Mark, number>>>();
  #batches = new Map<string, BatchCount>();
  readonly #waiters = new Map<string, () => void>();

  /** Records a moment of an order; the first one of each kind counts. */
  mark(orderId: string, mark: Mark, at: number): void {
    const marks = this.#marks.get(orderId) ?? {};
    if (marks[mark] === undefined) marks[mark] = at;
    this.#marks.set(orderId, marks);
    if (mark === "viewWritten") this.#waiters.get(orderId)?.();
  }

  /** The runtime's observer: marks the relay's and the consumer's successful invocations. */
  readonly observe: TriggerInvocationObserver = (name, event, outcome, timing) => {
    const count = this.#batches.get(name) ?? { invocations: 0, records: 0 };
    this.#batches.set(name, {
      invocations: count.invocations + 1,
      records: count.records + recordCountOf(event),
    });
    if (!outcome.ok) return;
    this.#markRelay(event, timing);
    for (const { orderId, timestamp } of createdRecordsOf(event)) {
      this.mark(orderId, "recordTimestamp", timestamp);
      this.mark(orderId, "consumerStarted", timing.startedAt);
      this.mark(orderId, "viewWritten", timing.endedAt);
    }
  };

  #markRelay(event: unknown, timing: InvocationTiming): void {
    for (const { orderId, createdAt } of outboxItemsOf(event)) {
      this.mark(orderId, "outboxWritten", createdAt);
      this.mark(orderId, "relayStarted", timing.startedAt);
      this.mark(orderId, "relayEnded", timing.endedAt);
    }
  }

  /** Each function's invocations and records since the last call, by function name. */
  takeBatches(): Record<string, BatchCount> {
    const taken = Object.fromEntries(this.#batches);
    this.#batches = new Map();
    return taken;
  }

  /** Resolves once the consumer that wrote the order's view ended; rejects after `timeoutMs`. */
  viewWritten(orderId: string, timeoutMs: number): Promise<void> {
    if (this.#marks.get(orderId)?.viewWritten !== undefined) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiters.delete(orderId);
        reject(new Error(`order ${orderId}'s view was not written within ${timeoutMs} ms`));
      }, timeoutMs);
      this.#waiters.set(orderId, () => {
        clearTimeout(timer);
        this.#waiters.delete(orderId);
        resolve();
      });
    });
  }

  /** The order's stage durations in milliseconds, and its whole HTTP request → view read. */
  stagesOf(orderId: string): { total: number; stages: Record<StageName, number> } {
    const marks = this.#marks.get(orderId) ?? {};
    const at = (mark: Mark): number => {
      const value = marks[mark];
      if (value === undefined) throw new Error(`order ${orderId} has no ${mark} moment`);
      return value;
    };
    const stages = Object.fromEntries(
      Object.entries(STAGES).map(([name, [from, to]]) => [name, at(to) - at(from)]),
    ) as Record<StageName, number>;
    return { total: at("viewRead") - at("requested"), stages };
  }
}
