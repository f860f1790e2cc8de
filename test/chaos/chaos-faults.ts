/**
 * Runs a chaos schedule against the system, phase after phase, each on its planned start (or
 * right after the one before, if that ran late), and says what each phase injected, from the
 * proxies' own counts:
 *
 * - `conflicts`: `TransactionConflict` at `conflictRate` on the read model's
 *   `TransactWriteItems` (the proxy's conflict mode, on for the whole run, adds DynamoDB's
 *   real conflicts on top), held past its time until one was injected, up to the load's end;
 * - `throttling`: `ThrottlingException` on every read-model write (the consumers'), and
 *   `ProvisionedThroughputExceededException` on a share of the orders API's writes (the
 *   orders table), so clients meet it too; held, like conflicts, until a read-model write was
 *   throttled;
 * - `slow-broker`: the next `delays` Produce responses held `delayMs`, past the functions'
 *   request timeout (waiting for them until the load ends, if need be);
 * - `broker-kill`: the private broker killed with SIGKILL, started again after
 *   `brokerDownSeconds`.
 *
 * Phases run in the schedule's order: conflicts, throttling, broker-kill, slow-broker.
 *
 * `healAll` ends every fault at once (rules cleared, broker up), whatever was interrupted.
 *
 * @example
 * ```ts
 * const results = await runFaultSchedule(system, schedule, options, { clock, say, interrupted });
 * results[0]; // { kind: "conflicts", injected: 41, ... }
 * ```
 */
import { ORDERS_TABLE, READ_MODEL_TABLE } from "../../infra/wiring/system-wiring";
import type { DynamoFaultCounts } from "../support/faults/dynamodb-fault-proxy";
import type { ChaosOptions } from "./chaos-options";
import type { FaultKind, FaultPhase } from "./chaos-schedule";
import type { ChaosSystem } from "./chaos-system";

/** The operations that write items. */
const WRITES = ["TransactWriteItems", "PutItem", "UpdateItem", "DeleteItem"];

/** Share of the orders API's writes throttled while the read model's all are. */
export const API_THROTTLE_RATE = 0.3;

export interface PhaseResult {
  readonly kind: FaultKind;
  /** From the start of the load. */
  readonly startedMs: number;
  readonly endedMs: number;
  /** How many faults it injected (requests answered with an error, responses held, kills). */
  readonly injected: number;
  /** The same by what it hit; a run where one of them is 0 did not test it. */
  readonly byTarget: Readonly<Record<string, number>>;
  readonly details: string;
}

export interface FaultContext {
  /** Milliseconds since the load started. */
  readonly clock: () => number;
  /** When the load ends, on that clock. */
  readonly loadMs: number;
  readonly say: (line: string) => void;
  readonly interrupted: () => boolean;
}

type FaultOptions = Pick<
  ChaosOptions,
  "conflictRate" | "delayMs" | "delays" | "brokerDownSeconds" | "seed"
>;

const pause = (ms: number): Promise<void> =>
  ms > 0 ? new Promise((done) => setTimeout(done, ms)) : Promise.resolve();

/** Sleeps up to `ms`, in short steps, so an interruption ends it early. */
const hold = async (ms: number, context: FaultContext): Promise<void> => {
  const until = context.clock() + ms;
  while (!context.interrupted() && context.clock() < until) {
    await pause(Math.min(250, until - context.clock()));
  }
};

const injectedOf = (counts: DynamoFaultCounts, kind: keyof DynamoFaultCounts["injected"]) =>
  counts.injected[kind] ?? 0;

/**
 * Holds a rate-based fault for `ms`, then on until it has hit at least once or the load ends:
 * a short phase on a slow machine may see few requests, and a draw at a rate may miss them all.
 */
const holdUntilInjected = async (
  ms: number,
  injected: () => number,
  context: FaultContext,
): Promise<void> => {
  await hold(ms, context);
  while (!context.interrupted() && context.clock() < context.loadMs && injected() === 0) {
    await pause(250);
  }
};

const runPhase = async (
  system: ChaosSystem,
  phase: FaultPhase,
  options: FaultOptions,
  context: FaultContext,
): Promise<Omit<PhaseResult, "kind" | "startedMs" | "endedMs">> => {
  const { dynamo, kafka, broker } = system;
  switch (phase.kind) {
    case "conflicts": {
      const before = dynamo.counts();
      dynamo.setRules([
        {
          kind: "TransactionConflict",
          operations: ["TransactWriteItems"],
          tables: [READ_MODEL_TABLE],
          rate: options.conflictRate,
        },
      ]);
      const conflictsSince = () =>
        injectedOf(dynamo.counts(), "TransactionConflict") -
        injectedOf(before, "TransactionConflict");
      await holdUntilInjected(phase.durationMs, conflictsSince, context);
      dynamo.setRules([]);
      const injected = conflictsSince();
      return {
        injected,
        byTarget: { "read-model writes": injected },
        details: `${injected} read-model transactions answered TransactionConflict (rate ${options.conflictRate})`,
      };
    }
    case "throttling": {
      const before = dynamo.counts();
      dynamo.setRules([
        { kind: "ThrottlingException", operations: WRITES, tables: [READ_MODEL_TABLE] },
        {
          kind: "ProvisionedThroughputExceededException",
          operations: ["TransactWriteItems"],
          tables: [ORDERS_TABLE],
          rate: API_THROTTLE_RATE,
        },
      ]);
      const throttledSince = () =>
        injectedOf(dynamo.counts(), "ThrottlingException") -
        injectedOf(before, "ThrottlingException");
      await holdUntilInjected(phase.durationMs, throttledSince, context);
      dynamo.setRules([]);
      const after = dynamo.counts();
      const readModel =
        injectedOf(after, "ThrottlingException") - injectedOf(before, "ThrottlingException");
      const api =
        injectedOf(after, "ProvisionedThroughputExceededException") -
        injectedOf(before, "ProvisionedThroughputExceededException");
      return {
        injected: readModel + api,
        byTarget: { "read-model writes": readModel, "orders-api writes": api },
        details: `${readModel} read-model requests throttled, ${api} orders-table transactions over their throughput (rate ${API_THROTTLE_RATE})`,
      };
    }
    case "slow-broker": {
      const before = kafka.counts().delayedResponses;
      kafka.setRules([
        {
          kind: "delay-response",
          api: "Produce",
          delayMs: options.delayMs,
          times: options.delays,
        },
      ]);
      // A Produce may be long in coming after an outage: wait for them up to the load's end.
      const until = Math.max(context.clock() + phase.durationMs, context.loadMs);
      while (
        !context.interrupted() &&
        context.clock() < until &&
        kafka.counts().delayedResponses - before < options.delays
      ) {
        await pause(250);
      }
      // The last held response is released a delay after it was taken.
      await hold(options.delayMs, context);
      kafka.setRules([]);
      const injected = kafka.counts().delayedResponses - before;
      return {
        injected,
        byTarget: { "Produce responses": injected },
        details: `${injected} Produce responses held ${options.delayMs} ms`,
      };
    }
    case "broker-kill": {
      await broker.kill();
      const downAt = context.clock();
      await hold(phase.durationMs, context);
      await broker.restart();
      return {
        injected: 1,
        byTarget: { "broker kills": 1 },
        details: `broker killed (SIGKILL), answering again ${((context.clock() - downAt) / 1000).toFixed(1)} s later`,
      };
    }
  }
};

export const runFaultSchedule = async (
  system: ChaosSystem,
  schedule: readonly FaultPhase[],
  options: FaultOptions,
  context: FaultContext,
): Promise<PhaseResult[]> => {
  const results: PhaseResult[] = [];
  for (const phase of schedule) {
    await hold(phase.startMs - context.clock(), context);
    if (context.interrupted()) break;
    const startedMs = context.clock();
    context.say(`  ${(startedMs / 1000).toFixed(0).padStart(4)} s  fault ${phase.kind} begins`);
    const result = await runPhase(system, phase, options, context);
    const endedMs = context.clock();
    context.say(
      `  ${(endedMs / 1000).toFixed(0).padStart(4)} s  fault ${phase.kind} ends: ${result.details}`,
    );
    results.push({ kind: phase.kind, startedMs, endedMs, ...result });
  }
  return results;
};

/** Every fault over: no rules on either proxy, the broker answering. */
export const healAll = async (system: ChaosSystem): Promise<void> => {
  system.dynamo.setRules([]);
  system.kafka.setRules([]);
  await system.broker.restart();
};
