/**
 * How often each trigger handed each record to its function, counted from the invocations
 * themselves (the local runtime's `onTriggerInvocation`): per function and record, the
 * invocations that carried it, the ones in which it failed (the whole invocation failed, or
 * the partial batch response named it or an earlier record of its partition, as Lambda reads
 * it), and whether it came again after it had succeeded (a redelivery of work done, as after
 * a broker restart before the offsets were committed).
 *
 * The mapping's retry settings bound the failed invocations of one record: its first attempt
 * and `retryAttempts` retries (Lambda's effective count; -1 on a stream is unlimited).
 *
 * @example
 * ```ts
 * const counts = invocationCounts();
 * startLocalRuntime({ ..., onTriggerInvocation: counts.observe });
 * counts.summary(systemWiring); // [{ functionName: "order-created", records: 100, maxPerRecord: 3, ... }]
 * ```
 */
import type { InvocationOutcome } from "../../infra/local/runtime/function-host";
import { effectiveRetryAttempts } from "../../infra/local/runtime/retry-policy";
import type { SystemWiring } from "../../infra/wiring/types";

interface RecordCount {
  invocations: number;
  failures: number;
  succeeded: boolean;
  afterSuccess: number;
}

export interface FunctionInvocations {
  readonly functionName: string;
  readonly invocations: number;
  readonly failedInvocations: number;
  /** Distinct records it was handed. */
  readonly records: number;
  readonly recordsInvokedMoreThanOnce: number;
  readonly maxPerRecord: number;
  /** The most invocations one record failed in. */
  readonly maxFailuresPerRecord: number;
  /** Invocations carrying a record that had already succeeded. */
  readonly redeliveredAfterSuccess: number;
  /** Failed invocations one record may take by the trigger's retry settings; -1: unlimited. */
  readonly allowedFailuresPerRecord: number;
  /** Records that failed more often than that. */
  readonly overLimit: number;
}

export interface InvocationCounts {
  readonly observe: (functionName: string, event: unknown, outcome: InvocationOutcome) => void;
  summary(wiring: SystemWiring): FunctionInvocations[];
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** One record of an event and the key it fails under: Kafka partition or stream shard. */
interface Carried {
  readonly id: string;
  /** Kafka: "<topic>-<partition>"; a stream batch is one sequence. */
  readonly lane: string;
  /** Where it stands in its lane, to compare with the lowest failure. */
  readonly position: bigint;
  /** As a partial batch response names it. */
  readonly identifier: string;
}

const kafkaRecordsOf = (event: Record<string, unknown>): Carried[] =>
  Object.values(isObject(event.records) ? event.records : {}).flatMap((records) =>
    (Array.isArray(records) ? records : []).flatMap((record: unknown) => {
      if (!isObject(record)) return [];
      const { topic, partition, offset } = record;
      if (typeof topic !== "string" || typeof partition !== "number") return [];
      if (typeof offset !== "number") return [];
      const lane = `${topic}-${partition}`;
      return [{ id: `${lane}@${offset}`, lane, position: BigInt(offset), identifier: lane }];
    }),
  );

const streamRecordsOf = (event: Record<string, unknown>): Carried[] =>
  (Array.isArray(event.Records) ? event.Records : []).flatMap((record: unknown) => {
    const sequence =
      isObject(record) && isObject(record.dynamodb) ? record.dynamodb.SequenceNumber : undefined;
    if (typeof sequence !== "string" || !/^\d+$/.test(sequence)) return [];
    return [{ id: sequence, lane: "stream", position: BigInt(sequence), identifier: sequence }];
  });

/** The lowest failed position per lane, as the partial batch response says; undefined: all. */
const lowestFailures = (
  outcome: InvocationOutcome,
  carried: readonly Carried[],
  isKafka: boolean,
): Map<string, bigint> | undefined => {
  if (!outcome.ok) return undefined;
  const response = outcome.value;
  if (!isObject(response) || !Array.isArray(response.batchItemFailures)) return new Map();
  const lowest = new Map<string, bigint>();
  for (const failure of response.batchItemFailures) {
    const identifier = isObject(failure) ? failure.itemIdentifier : undefined;
    const named = isKafka
      ? carried.find(
          (each) =>
            isObject(identifier) &&
            typeof identifier.offset === "number" &&
            each.identifier === identifier.partition &&
            each.position === BigInt(identifier.offset),
        )
      : carried.find((each) => each.identifier === identifier);
    // An identifier that names no record fails the whole batch, as on Lambda.
    if (named === undefined) return undefined;
    const before = lowest.get(named.lane);
    if (before === undefined || named.position < before) lowest.set(named.lane, named.position);
  }
  return lowest;
};

export const invocationCounts = (): InvocationCounts => {
  const byFunction = new Map<string, { invocations: number; failed: number }>();
  const byRecord = new Map<string, Map<string, RecordCount>>();

  const observe = (functionName: string, event: unknown, outcome: InvocationOutcome): void => {
    if (!isObject(event)) return;
    const isKafka = isObject(event.records);
    const carried = isKafka ? kafkaRecordsOf(event) : streamRecordsOf(event);
    const lowest = lowestFailures(outcome, carried, isKafka);
    const totals = byFunction.get(functionName) ?? { invocations: 0, failed: 0 };
    totals.invocations += 1;
    if (lowest === undefined || lowest.size > 0) totals.failed += 1;
    byFunction.set(functionName, totals);
    const records = byRecord.get(functionName) ?? new Map<string, RecordCount>();
    byRecord.set(functionName, records);
    for (const each of carried) {
      const count = records.get(each.id) ?? {
        invocations: 0,
        failures: 0,
        succeeded: false,
        afterSuccess: 0,
      };
      count.invocations += 1;
      if (count.succeeded) count.afterSuccess += 1;
      const from = lowest?.get(each.lane);
      const failed = lowest === undefined || (from !== undefined && each.position >= from);
      if (failed) count.failures += 1;
      else count.succeeded = true;
      records.set(each.id, count);
    }
  };

  const allowedFor = (wiring: SystemWiring, functionName: string): number => {
    const trigger = wiring.functions.find((fn) => fn.name === functionName)?.trigger;
    if (trigger === undefined) return -1;
    if (trigger.kind === "kafka") {
      if (trigger.mode.kind !== "provisioned") return -1;
      const attempts = effectiveRetryAttempts(
        trigger.mode,
        trigger.mode.onFailureTopic !== undefined,
      );
      return attempts === -1 ? -1 : attempts + 1;
    }
    const attempts = effectiveRetryAttempts(trigger, true);
    return attempts === -1 ? -1 : attempts + 1;
  };

  return {
    observe,
    summary: (wiring) =>
      [...byFunction].map(([functionName, totals]) => {
        const records = [...(byRecord.get(functionName)?.values() ?? [])];
        const allowed = allowedFor(wiring, functionName);
        return {
          functionName,
          invocations: totals.invocations,
          failedInvocations: totals.failed,
          records: records.length,
          recordsInvokedMoreThanOnce: records.filter((count) => count.invocations > 1).length,
          maxPerRecord: Math.max(0, ...records.map((count) => count.invocations)),
          maxFailuresPerRecord: Math.max(0, ...records.map((count) => count.failures)),
          redeliveredAfterSuccess: records.reduce((sum, count) => sum + count.afterSuccess, 0),
          allowedFailuresPerRecord: allowed,
          overLimit:
            allowed === -1 ? 0 : records.filter((count) => count.failures > allowed).length,
        };
      }),
  };
};
