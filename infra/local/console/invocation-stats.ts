/**
 * What the console knows of the functions' invocations, from the runtime's invocation
 * observer: per function the count, the errors, the last duration and the cold starts, and
 * per event id which functions handled it and when (read from the Kafka batches they were
 * given and their partial batch responses). Bounded: only the latest events are remembered.
 *
 * @example
 * ```ts
 * const stats = new InvocationStats();
 * stats.record({ functionName: "order-created", event, outcome, durationMs: 12, coldStart: false, at: new Date() });
 * stats.ofFunction("order-created"); // { invocations: 1, errors: 0, ... }
 * ```
 */
import type { InvocationOutcome } from "../runtime/function-host";
import { isJsonObject } from "../runtime/is-json-object";
import type { InvocationTiming } from "../runtime/local-runtime";

/** One ended invocation, as the runtime reports it. */
export interface ObservedInvocation {
  readonly functionName: string;
  readonly event: unknown;
  /** Whether the function returned (a partial batch response included) or threw/timed out. */
  readonly ok: boolean;
  readonly value?: unknown;
  readonly errorType?: string;
  readonly durationMs: number;
  readonly coldStart: boolean;
  readonly at: Date;
}

/** The counters of one function. */
export interface FunctionStats {
  readonly invocations: number;
  readonly errors: number;
  readonly coldStarts: number;
  readonly lastDurationMs: number | undefined;
  readonly lastAt: Date | undefined;
  readonly lastError: string | undefined;
}

/** One function's handling of one event: returned for it, or left it to be retried. */
export interface EventHandling {
  readonly functionName: string;
  readonly at: Date;
  readonly outcome: "returned" | "failed";
  readonly partition: number;
  readonly offset: number;
}

const NO_STATS: FunctionStats = {
  invocations: 0,
  errors: 0,
  coldStarts: 0,
  lastDurationMs: undefined,
  lastAt: undefined,
  lastError: undefined,
};

/** The records of an MSK or self-managed Kafka event: partition, offset, event id. */
const kafkaRecordsOf = (
  event: unknown,
): { partition: number; offset: number; eventId: string }[] => {
  if (!isJsonObject(event) || !isJsonObject(event.records)) return [];
  return Object.values(event.records).flatMap((batch) =>
    (Array.isArray(batch) ? batch : []).flatMap((record: unknown) => {
      if (!isJsonObject(record) || typeof record.value !== "string") return [];
      try {
        const value: unknown = JSON.parse(Buffer.from(record.value, "base64").toString("utf8"));
        return isJsonObject(value) && typeof value.event_id === "string"
          ? [
              {
                partition: Number(record.partition),
                offset: Number(record.offset),
                eventId: value.event_id,
              },
            ]
          : [];
      } catch {
        return [];
      }
    }),
  );
};

/** The lowest failed offset per partition of a partial batch response. */
const failedFrom = (value: unknown): Map<number, number> => {
  const lowest = new Map<number, number>();
  if (!isJsonObject(value) || !Array.isArray(value.batchItemFailures)) return lowest;
  for (const failure of value.batchItemFailures) {
    const id = isJsonObject(failure) ? failure.itemIdentifier : undefined;
    if (!isJsonObject(id) || typeof id.partition !== "string") continue;
    const partition = Number(id.partition.slice(id.partition.lastIndexOf("-") + 1));
    const offset = Number(id.offset);
    lowest.set(partition, Math.min(offset, lowest.get(partition) ?? offset));
  }
  return lowest;
};

/** Counters per function and handlings per event id, fed one invocation at a time. */
export class InvocationStats {
  readonly #functions = new Map<string, FunctionStats>();
  readonly #handlings = new Map<string, EventHandling[]>();

  constructor(private readonly maxEvents = 50_000) {}

  /** The runtime's invocation observer (`onInvocation`), recording each ended invocation. */
  readonly observe = (
    functionName: string,
    event: unknown,
    outcome: InvocationOutcome,
    timing: InvocationTiming,
  ): void =>
    this.record({
      functionName,
      event,
      ok: outcome.ok,
      ...(outcome.ok ? { value: outcome.value } : { errorType: outcome.error.errorType }),
      durationMs: timing.endedAt - timing.startedAt,
      coldStart: outcome.coldStart === true,
      at: new Date(timing.endedAt),
    });

  record(invocation: ObservedInvocation): void {
    const before = this.ofFunction(invocation.functionName);
    this.#functions.set(invocation.functionName, {
      invocations: before.invocations + 1,
      errors: before.errors + (invocation.ok ? 0 : 1),
      coldStarts: before.coldStarts + (invocation.coldStart ? 1 : 0),
      lastDurationMs: invocation.durationMs,
      lastAt: invocation.at,
      lastError: invocation.ok ? before.lastError : invocation.errorType,
    });
    this.#recordHandlings(invocation);
  }

  ofFunction(name: string): FunctionStats {
    return this.#functions.get(name) ?? NO_STATS;
  }

  /** Which functions were given the event, when, and whether they returned for it. */
  handlingsOf(eventId: string): readonly EventHandling[] {
    return this.#handlings.get(eventId) ?? [];
  }

  #recordHandlings(invocation: ObservedInvocation): void {
    const failed = invocation.ok ? failedFrom(invocation.value) : undefined;
    for (const record of kafkaRecordsOf(invocation.event)) {
      const lowestFailed = failed?.get(record.partition);
      const returned =
        failed !== undefined && (lowestFailed === undefined || record.offset < lowestFailed);
      const list = this.#handlings.get(record.eventId) ?? [];
      list.push({
        functionName: invocation.functionName,
        at: invocation.at,
        outcome: returned ? "returned" : "failed",
        partition: record.partition,
        offset: record.offset,
      });
      this.#handlings.delete(record.eventId);
      this.#handlings.set(record.eventId, list);
    }
    while (this.#handlings.size > this.maxEvents) {
      const oldest = this.#handlings.keys().next().value;
      if (oldest === undefined) break;
      this.#handlings.delete(oldest);
    }
  }
}
