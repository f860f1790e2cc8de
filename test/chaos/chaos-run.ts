/**
 * One chaos run, start to end:
 *
 * 1. starts the system of its own (`chaos-system.ts`) and notes where its topics end;
 * 2. writes the demo's malformed records straight to `order-events`;
 * 3. runs the load (`chaos-load.ts`) and, at the same time, the fault schedule
 *    (`chaos-schedule.ts`, `chaos-faults.ts`);
 * 4. ends every fault, asks again what went unanswered, and waits, up to the settle bound,
 *    until every record is accounted for (the demo's accounting, `accountForDemo`);
 * 5. judges the run (`accountForChaos`) and stops everything.
 *
 * @example
 * ```ts
 * const report = await runChaos(readChaosOptions(["--short"]), { say: console.error });
 * report.passed; // true when nothing was lost, applied twice or left unaccounted
 * ```
 */
import { randomUUID } from "node:crypto";
import { join } from "node:path";
import { Kafka, logLevel } from "kafkajs";
import { accountForDemo, type DemoAccounting } from "../../infra/local/demo/demo-accounting";
import type { DemoObservation } from "../../infra/local/demo/demo-observation";
import { malformedRecords } from "../../infra/local/demo/demo-plan";
import type { DemoReport } from "../../infra/local/demo/demo-report";
import { connectKafkaObserver } from "../../infra/local/demo/kafka-observer";
import { type OrdersClient, ordersClient } from "../../infra/local/demo/orders-client";
import {
  observeSystem,
  type SystemWatch,
  sendMalformedRecords,
} from "../../infra/local/demo/system-observation";
import { startTopicReader } from "../../infra/local/demo/topic-reader";
import { readServiceSettings } from "../../infra/local/services/service-settings";
import {
  ORDER_EVENTS_DLQ_TOPIC,
  ORDER_EVENTS_ON_FAILURE_TOPIC,
  ORDER_EVENTS_TOPIC,
  systemWiring,
} from "../../infra/wiring/system-wiring";
import { kafkaClientConfig } from "../../shared/kafka/kafka-client-config";
import { type KafkaSettings, readKafkaSettings } from "../../shared/kafka/kafka-settings";
import type { DynamoFaultCounts } from "../support/faults/dynamodb-fault-proxy";
import type { KafkaFaultCounts } from "../support/faults/kafka-fault-proxy";
import { accountForChaos, type ChaosAccounting } from "./chaos-accounting";
import { healAll, type PhaseResult, runFaultSchedule } from "./chaos-faults";
import { type OrderTrack, resolveUnanswered, runLoad } from "./chaos-load";
import type { ChaosOptions } from "./chaos-options";
import { planChaosLoad } from "./chaos-plan";
import { chaosSchedule, type FaultPhase } from "./chaos-schedule";
import { type ChaosSystem, startChaosSystem } from "./chaos-system";

export interface ChaosReport {
  readonly runId: string;
  readonly options: ChaosOptions;
  /** Where the run's logs are: `logs/functions/<function>.log`, `logs/runtime.log`. */
  readonly stateDir: string;
  readonly schedule: readonly FaultPhase[];
  readonly phases: readonly PhaseResult[];
  readonly dynamoCounts: DynamoFaultCounts;
  readonly kafkaCounts: KafkaFaultCounts;
  readonly load: {
    readonly planned: number;
    readonly accepted: number;
    readonly shipped: number;
    readonly cancelled: number;
    /** Orders whose placement or follow-up was asked again or read back after the faults. */
    readonly resolvedLater: number;
    /** Commands that ended without the answer wanted (each then resolved or reported). */
    readonly commandErrors: number;
    readonly errorExamples: readonly string[];
  };
  /** The demo's report of the same accounting (records, consumers, dead letters, read model). */
  readonly demo: DemoReport;
  readonly chaos: ChaosAccounting;
  readonly durationsMs: {
    readonly start: number;
    readonly load: number;
    readonly settle: number;
    readonly total: number;
  };
  /** What went wrong stopping the system (reported; no verdict on the run). */
  readonly stopErrors: readonly string[];
  readonly passed: boolean;
}

export interface ChaosRunContext {
  /** Progress lines. */
  readonly say: (line: string) => void;
  /** True once the run should stop early (Ctrl-C): faults end, the books are still kept. */
  readonly interrupted?: () => boolean;
  /** The run's folder; `.local/chaos/<run id>` by default. */
  readonly stateDir?: string;
}

const POLL_INTERVAL_MS = 1_000;
const PROGRESS_INTERVAL_MS = 10_000;
const TOPICS = [ORDER_EVENTS_TOPIC, ORDER_EVENTS_DLQ_TOPIC, ORDER_EVENTS_ON_FAILURE_TOPIC];

const pause = (ms: number): Promise<void> => new Promise((done) => setTimeout(done, ms));

/** The run's own Kafka clients talk to the broker itself, never through the proxy. */
const directKafka = (brokers: string): { settings: KafkaSettings; kafka: Kafka } => {
  const settings = readKafkaSettings({ KAFKA_BROKERS: brokers, KAFKA_CLIENT_ID: "chaos-run" });
  return {
    settings,
    kafka: new Kafka(kafkaClientConfig(settings, { logLevel: logLevel.NOTHING })),
  };
};

/** Looks until everything is accounted for, or the bound passes. */
const settle = async (
  watch: SystemWatch,
  boundMs: number,
  context: ChaosRunContext,
): Promise<{ accounting: DemoAccounting; observation: DemoObservation; waitedMs: number }> => {
  const started = Date.now();
  let lastProgress = started;
  for (;;) {
    const observation = await observeSystem(watch);
    const accounting = accountForDemo(observation);
    const now = Date.now();
    if (accounting.allAccounted || now - started >= boundMs || context.interrupted?.()) {
      return { accounting, observation, waitedMs: now - started };
    }
    if (now - lastProgress >= PROGRESS_INTERVAL_MS) {
      lastProgress = now;
      context.say(
        `  still settling (${Math.round((now - started) / 1000)} s): ${accounting.problems.length} open, e.g. ${accounting.problems[0]?.message}`,
      );
    }
    await pause(POLL_INTERVAL_MS);
  }
};

const loadSummary = (tracks: readonly OrderTrack[], planned: number): ChaosReport["load"] => {
  const answered = tracks.flatMap((track) => (track.last === undefined ? [] : [track.last]));
  const errors = tracks.flatMap((track) => track.errors);
  return {
    planned,
    accepted: answered.length,
    shipped: answered.filter((order) => order.status === "SHIPPED").length,
    cancelled: answered.filter((order) => order.status === "CANCELLED").length,
    resolvedLater: tracks.filter((track) => track.resolvedLater).length,
    commandErrors: errors.length,
    errorExamples: errors.slice(0, 5),
  };
};

/** Runs the load and the faults together; whatever happens, every fault is over after. */
const driveUnderFaults = async (
  system: ChaosSystem,
  client: OrdersClient,
  options: ChaosOptions,
  runId: string,
  schedule: readonly FaultPhase[],
  context: ChaosRunContext,
): Promise<{ tracks: OrderTrack[]; phases: PhaseResult[] }> => {
  const loadMs = options.minutes * 60_000;
  const plan = planChaosLoad({
    runId,
    orders: options.orders,
    clients: options.clients,
    loadMs,
    seed: options.seed,
  });
  const began = performance.now();
  const clock = () => performance.now() - began;
  const interrupted = () => context.interrupted?.() === true;
  context.say(
    `load: ${options.orders} orders by ${options.clients} clients over ${Math.round(loadMs / 1000)} s; faults: ${schedule.map((phase) => `${phase.kind} at ${Math.round(phase.startMs / 1000)} s`).join(", ")}`,
  );
  try {
    const [tracks, phases] = await Promise.all([
      runLoad({ client, plan, clock, interrupted }),
      runFaultSchedule(system, schedule, options, {
        clock,
        loadMs,
        say: context.say,
        interrupted,
      }),
    ]);
    return { tracks, phases };
  } finally {
    await healAll(system);
  }
};

export const runChaos = async (
  options: ChaosOptions,
  context: ChaosRunContext,
): Promise<ChaosReport> => {
  const began = performance.now();
  const schedule = chaosSchedule(options);
  const runId = `chaos-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
  const stateDir =
    context.stateDir ?? join(readServiceSettings(process.env).stateDir, "chaos", runId);
  context.say(`Chaos run ${runId}; logs in ${stateDir}/logs`);
  const system = await startChaosSystem({ stateDir, seed: options.seed, say: context.say });
  let stopped = false;
  try {
    const startMs = performance.now() - began;
    const { settings: kafkaSettings, kafka } = directKafka(system.brokerEndpoint);
    const client = ordersClient(system.httpUrl);
    await client.probe();
    const startObserver = await connectKafkaObserver(kafka, system.brokerEndpoint);
    let starts: { topic: string; start: Map<number, number> }[];
    try {
      await startObserver.requireTopics(TOPICS);
      starts = await Promise.all(
        TOPICS.map(async (topic) => ({ topic, start: await startObserver.endOffsets(topic) })),
      );
    } finally {
      await startObserver.disconnect();
    }
    const malformed = await sendMalformedRecords(
      kafkaSettings,
      malformedRecords(runId, ORDER_EVENTS_TOPIC, new Date(), randomUUID),
    );
    context.say(`${malformed.length} malformed records written to ${ORDER_EVENTS_TOPIC}`);

    const loadBegan = performance.now();
    const { tracks, phases } = await driveUnderFaults(
      system,
      client,
      options,
      runId,
      schedule,
      context,
    );
    context.say("faults over; asking again what went unanswered");
    const unresolved = await resolveUnanswered(client, tracks);
    const loadMs = performance.now() - loadBegan;
    const orders = tracks.flatMap((track) => (track.last === undefined ? [] : [track.last]));

    context.say(`settling (at most ${options.settleSeconds} s)`);
    const observer = await connectKafkaObserver(kafka, system.brokerEndpoint);
    const reader = await startTopicReader(kafka, observer.admin, starts, `${runId}-reader`);
    let settled: Awaited<ReturnType<typeof settle>>;
    try {
      settled = await settle(
        {
          observer,
          reader,
          client,
          start: starts.find(({ topic }) => topic === ORDER_EVENTS_TOPIC)?.start ?? new Map(),
          orders,
          malformed,
          views: new Map(),
          stats: new Map(),
        },
        options.settleSeconds * 1000,
        context,
      );
    } finally {
      await reader.stop().catch(() => undefined);
      await observer.disconnect().catch(() => undefined);
    }
    const { accounting, observation, waitedMs } = settled;
    const chaos = accountForChaos({
      demo: accounting,
      records: observation.records,
      orders,
      invocations: system.invocations.summary(systemWiring),
      schedule,
      phases,
      unresolved,
    });
    const load = loadSummary(tracks, options.orders);
    const dynamoCounts = system.dynamo.counts();
    const kafkaCounts = system.kafka.counts();
    context.say("stopping the system");
    stopped = true;
    const stopErrors = await system.stop();
    return {
      runId,
      options,
      stateDir,
      schedule,
      phases,
      dynamoCounts,
      kafkaCounts,
      load,
      demo: {
        runId,
        httpBaseUrl: system.httpUrl,
        kafkaBrokers: system.brokerEndpoint,
        topic: ORDER_EVENTS_TOPIC,
        deadLetterTopic: ORDER_EVENTS_DLQ_TOPIC,
        customers: [...new Set(orders.map((order) => order.customer_id))],
        commands: { created: load.accepted, shipped: load.shipped, cancelled: load.cancelled },
        malformedSent: malformed,
        settled: accounting.allAccounted,
        waitedMs,
        accounting,
      },
      chaos,
      durationsMs: {
        start: Math.round(startMs),
        load: Math.round(loadMs),
        settle: waitedMs,
        total: Math.round(performance.now() - began),
      },
      stopErrors,
      passed: chaos.passed,
    };
  } finally {
    if (!stopped) await system.stop();
  }
};
