/**
 * `npm run demo`: drives the running local system (`npm start`) as a user would, then
 * reports whether every record is accounted for. It
 *
 * 1. checks the HTTP API and the broker answer, and notes the end offsets of `order-events`,
 *    its dead-letter topic and its on-failure topic: the run's records start there;
 * 2. places orders for customers of its own (so their stats are exact), ships some and
 *    cancels some, over HTTP;
 * 3. writes malformed records straight to `order-events` (not JSON, no `event_type`, an
 *    unknown type, a tombstone, an OrderCreated that breaks its schema);
 * 4. waits, within a deadline, until each record of the run is applied (its order's view
 *    reached it) or dead-lettered with its reason, the views and stats are exact, and every
 *    mapping's consumer group (from the wiring) committed to the end of the topic;
 * 5. prints the report (`--json` for JSON) and exits 0 when all is accounted for, 1 if not.
 *
 * @example
 * ```sh
 * npm start                     # in one terminal, until it prints "ready"
 * npm run demo                  # in another
 * npm run demo -- --json --orders 30 --timeout 120
 * ```
 */
import { Kafka, logLevel } from "kafkajs";
import { kafkaClientConfig } from "../../shared/kafka/kafka-client-config";
import { type KafkaSettings, readKafkaSettings } from "../../shared/kafka/kafka-settings";
import {
  ORDER_EVENTS_DLQ_TOPIC,
  ORDER_EVENTS_ON_FAILURE_TOPIC,
  ORDER_EVENTS_TOPIC,
} from "../wiring/system-wiring";
import { accountForDemo, type DemoAccounting } from "./demo/demo-accounting";
import { type DemoOptions, DemoUsageError, readDemoOptions } from "./demo/demo-options";
import { type DemoPlan, newRunId, planDemo } from "./demo/demo-plan";
import { type DemoReport, formatDemoReport } from "./demo/demo-report";
import { inParallel } from "./demo/in-parallel";
import {
  connectKafkaObserver,
  type KafkaObserver,
  KafkaUnreachableError,
  MissingTopicsError,
} from "./demo/kafka-observer";
import { LocalRuntimeNotRunningError, type OrdersClient, ordersClient } from "./demo/orders-client";
import type { ApiOrder } from "./demo/read-model-views";
import { observeSystem, type SystemWatch, sendMalformedRecords } from "./demo/system-observation";
import { startTopicReader } from "./demo/topic-reader";
import { readRuntimeSettings } from "./runtime/runtime-settings";
import { readServiceSettings } from "./services/service-settings";

const POLL_INTERVAL_MS = 500;
const PROGRESS_INTERVAL_MS = 5_000;
const HTTP_CONCURRENCY = 4;

/** Progress goes to stderr, so stdout holds only the report (and `--json` stays parseable). */
const say = (text: string): void => {
  process.stderr.write(`${text}\n`);
};

const pause = (ms: number): Promise<void> => new Promise((done) => setTimeout(done, ms));

interface Commands {
  readonly orders: ApiOrder[];
  readonly shipped: number;
  readonly cancelled: number;
}

/** Places every planned order, then ships or cancels it as planned: the API's last answers. */
const runCommands = async (client: OrdersClient, plan: DemoPlan): Promise<Commands> => {
  const placed = await inParallel(plan.orders, HTTP_CONCURRENCY, (order) =>
    client.placeOrder(order),
  );
  let shipped = 0;
  let cancelled = 0;
  const orders = await inParallel(placed, HTTP_CONCURRENCY, async (order, index) => {
    const fate = plan.orders[index]?.fate;
    if (fate === "ship") {
      shipped += 1;
      return client.shipOrder(order.order_id, {
        carrier: "DHL",
        tracking_number: `JD${String(index + 1).padStart(8, "0")}`,
      });
    }
    if (fate === "cancel") {
      cancelled += 1;
      return client.cancelOrder(order.order_id, "customer changed their mind");
    }
    return order;
  });
  return { orders, shipped, cancelled };
};

/** Looks again and again until everything is accounted for, or the deadline passes. */
const waitUntilSettled = async (
  watch: SystemWatch,
  options: DemoOptions,
  interrupted: () => boolean,
): Promise<{ accounting: DemoAccounting; waitedMs: number }> => {
  const started = Date.now();
  const deadline = started + options.timeoutSeconds * 1000;
  let lastProgress = started;
  for (;;) {
    const accounting = accountForDemo(await observeSystem(watch));
    const now = Date.now();
    if (accounting.allAccounted || now >= deadline || interrupted()) {
      return { accounting, waitedMs: now - started };
    }
    if (now - lastProgress >= PROGRESS_INTERVAL_MS) {
      lastProgress = now;
      say(
        `  still waiting (${Math.round((now - started) / 1000)} s): ${accounting.problems.length} open, e.g. ${accounting.problems[0]?.message}`,
      );
    }
    await pause(POLL_INTERVAL_MS);
  }
};

/** The running system as the demo reaches it: the HTTP API and the broker. */
interface DemoSystem {
  readonly httpBaseUrl: string;
  readonly kafkaBrokers: string;
  readonly client: OrdersClient;
  readonly kafka: Kafka;
  readonly kafkaSettings: KafkaSettings;
  readonly observer: KafkaObserver;
}

/** Checks the HTTP API answers and connects to the broker, as `npm start` configured them. */
const connectToSystem = async (): Promise<DemoSystem> => {
  const runtime = readRuntimeSettings(process.env, readServiceSettings(process.env));
  const httpBaseUrl = `http://127.0.0.1:${runtime.httpPort}`;
  const client = ordersClient(httpBaseUrl);
  await client.probe();
  const kafkaSettings = readKafkaSettings({
    KAFKA_BROKERS: runtime.kafkaBrokers,
    KAFKA_AUTH: runtime.kafkaAuth,
    KAFKA_TLS: String(runtime.kafkaTls),
    AWS_REGION: runtime.region,
    KAFKA_CLIENT_ID: "order-demo",
  });
  const kafka = new Kafka(kafkaClientConfig(kafkaSettings, { logLevel: logLevel.NOTHING }));
  const observer = await connectKafkaObserver(kafka, runtime.kafkaBrokers);
  return {
    httpBaseUrl,
    kafkaBrokers: runtime.kafkaBrokers,
    client,
    kafka,
    kafkaSettings,
    observer,
  };
};

const TOPICS = [ORDER_EVENTS_TOPIC, ORDER_EVENTS_DLQ_TOPIC, ORDER_EVENTS_ON_FAILURE_TOPIC];

/** Runs the plan against the system and waits for it to settle: the report. */
const runDemo = async (
  system: DemoSystem,
  options: DemoOptions,
  interrupted: () => boolean,
): Promise<DemoReport> => {
  const { observer, kafka, client, httpBaseUrl } = system;
  await observer.requireTopics(TOPICS);
  // Before anything is written: the run's records are those from here on.
  const starts = await Promise.all(
    TOPICS.map(async (topic) => ({ topic, start: await observer.endOffsets(topic) })),
  );
  const runId = newRunId(new Date());
  const plan = planDemo({
    runId,
    orderCount: options.orders,
    topic: ORDER_EVENTS_TOPIC,
    now: new Date(),
  });
  const reader = await startTopicReader(kafka, observer.admin, starts, `${runId}-reader`);
  try {
    say(
      `Demo run ${runId}: placing ${plan.orders.length} orders at ${httpBaseUrl}, then shipping and cancelling some`,
    );
    const commands = await runCommands(client, plan);
    say(`Writing ${plan.malformed.length} malformed records straight to ${ORDER_EVENTS_TOPIC}`);
    const malformed = await sendMalformedRecords(system.kafkaSettings, plan.malformed);
    say(
      `Waiting up to ${options.timeoutSeconds} s for every record to be applied or dead-lettered`,
    );
    const watch: SystemWatch = {
      observer,
      reader,
      client,
      start: starts.find(({ topic }) => topic === ORDER_EVENTS_TOPIC)?.start ?? new Map(),
      orders: commands.orders,
      malformed,
      views: new Map(),
      stats: new Map(),
    };
    const { accounting, waitedMs } = await waitUntilSettled(watch, options, interrupted);
    return {
      runId,
      httpBaseUrl,
      kafkaBrokers: system.kafkaBrokers,
      topic: ORDER_EVENTS_TOPIC,
      deadLetterTopic: ORDER_EVENTS_DLQ_TOPIC,
      customers: plan.customers,
      commands: {
        created: commands.orders.length,
        shipped: commands.shipped,
        cancelled: commands.cancelled,
      },
      malformedSent: malformed,
      settled: accounting.allAccounted,
      waitedMs,
      accounting,
    };
  } finally {
    await reader.stop().catch(() => undefined);
  }
};

const main = async (): Promise<number> => {
  const options = readDemoOptions(process.argv.slice(2));
  const system = await connectToSystem();
  let interrupted = false;
  const onSignal = () => {
    interrupted = true;
  };
  process.once("SIGINT", onSignal);
  try {
    const report = await runDemo(system, options, () => interrupted);
    process.stdout.write(
      `${options.json ? JSON.stringify(report, null, 2) : formatDemoReport(report)}\n`,
    );
    return report.settled ? 0 : 1;
  } finally {
    process.off("SIGINT", onSignal);
    await system.observer.disconnect().catch(() => undefined);
  }
};

/** Errors that tell the user what to do say only that; anything else names its class too. */
const describeFailure = (error: unknown): string => {
  if (
    error instanceof DemoUsageError ||
    error instanceof LocalRuntimeNotRunningError ||
    error instanceof KafkaUnreachableError ||
    error instanceof MissingTopicsError
  ) {
    return error.message;
  }
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
};

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    say(describeFailure(error));
    process.exitCode = 1;
  },
);
