/**
 * Starts the console beside the local runtime (`npm start`): the invocation counters fed by
 * the runtime's observer, a tail of the events topic, and readers that are the other tools'
 * own — `npm run lag`'s `readLag`, `npm run logs`'s `readLogTail`, `npm run dead-letters`'s
 * local transport — behind a {@link ConsoleServer} on `LOCAL_CONSOLE_PORT` (3001).
 * `LOCAL_CONSOLE=false` runs without it.
 *
 * @example
 * ```ts
 * const stats = new InvocationStats();
 * const runtime = await startLocalRuntime({ ..., onInvocation: stats.observe });
 * const console = await startConsole({ wiring, settings, services, stats, env: process.env });
 * console.url; // "http://127.0.0.1:3001"
 * await console.stop();
 * ```
 */
import { Kafka, logLevel } from "kafkajs";
import * as z from "zod";
import { kafkaClientConfig } from "../../../shared/kafka/kafka-client-config";
import { ORDER_EVENTS_TOPIC, ORDERS_TABLE, READ_MODEL_TABLE } from "../../wiring/system-wiring";
import type { SystemWiring } from "../../wiring/types";
import { localTransport } from "../dead-letters/local-transport";
import {
  describeMappingLag,
  lagKafkaSettings,
  readLag,
  streamCheckpointsFile,
} from "../dev-tools/lag-report";
import {
  formatLogContext,
  functionLogFile,
  LOG_LEVELS,
  type LogLevel,
  readLogTail,
} from "../dev-tools/log-tail";
import type { RuntimeSettings } from "../runtime/runtime-settings";
import { ServiceClients } from "../runtime/service-clients";
import { localServices, servicesStatus } from "../services/local-services";
import type { ServiceSettings } from "../services/service-settings";
import { ConsoleData, type ConsoleDependencies } from "./console-data";
import { ConsoleServer } from "./console-server";
import type { InvocationStats } from "./invocation-stats";
import { TopicTail } from "./topic-tail";

/** The console's own settings, from the environment. */
export const readConsoleSettings = (env: Readonly<Record<string, string | undefined>>) =>
  z
    .object({
      LOCAL_CONSOLE: z.stringbool().default(true),
      LOCAL_CONSOLE_PORT: z.coerce.number().int().min(0).max(65_535).default(3001),
    })
    .parse(env);

/** What the console is started with. */
export interface ConsoleStart {
  readonly wiring: SystemWiring;
  readonly settings: RuntimeSettings;
  readonly services: ServiceSettings;
  readonly stats: InvocationStats;
  readonly port: number;
  readonly onError?: (error: unknown) => void;
}

/** A running console. */
export interface RunningConsole {
  readonly url: string;
  stop(): Promise<void>;
}

const isLevel = (level: string | undefined): level is LogLevel =>
  LOG_LEVELS.some((each) => each === level);

/** The other tools' readers, as the console's dependencies. */
const dependencies = (
  start: ConsoleStart,
  clients: ServiceClients,
  kafka: Kafka,
  tail: TopicTail,
): ConsoleDependencies => ({
  wiring: start.wiring,
  stats: start.stats,
  tail,
  kafka,
  dynamodb: clients.dynamodb,
  tableName: (name) => name,
  deadLetters: localTransport(process.env),
  lag: async () => {
    const report = await readLag({
      wiring: start.wiring,
      kafka,
      brokers: start.settings.kafkaBrokers,
      dynamodb: clients.dynamodb,
      streams: clients.streams,
      checkpointsFile: streamCheckpointsFile(start.services.stateDir),
    });
    return report.mappings.map(describeMappingLag);
  },
  logs: async (functionName, filter) => {
    const entries = await readLogTail(functionLogFile(start.services.logDir, functionName), {
      lines: filter.lines,
      ...(isLevel(filter.level) ? { level: filter.level } : {}),
      ...(filter.traceId === undefined ? {} : { traceId: filter.traceId }),
    });
    return entries.map((entry) => ({
      time: entry.time ?? "–",
      level: entry.level ?? entry.kind,
      message: entry.message,
      traceId: entry.traceId,
      context: formatLogContext(entry.context),
    }));
  },
  services: async () =>
    (await servicesStatus(localServices(start.services))).map(({ service, status }) => ({
      name: service.name,
      up: status.state === "running",
      endpoint: service.endpoint,
    })),
  ordersTable: ORDERS_TABLE,
  readModelTable: READ_MODEL_TABLE,
  eventsTopic: ORDER_EVENTS_TOPIC,
});

/** Starts the console; a taken port fails with {@link ConsolePortTakenError}. */
export const startConsole = async (start: ConsoleStart): Promise<RunningConsole> => {
  const clients = new ServiceClients(start.settings);
  const kafka = new Kafka(
    kafkaClientConfig(lagKafkaSettings(start.settings), { logLevel: logLevel.NOTHING }),
  );
  const tail = new TopicTail(kafka, [ORDER_EVENTS_TOPIC]);
  const deps = dependencies(start, clients, kafka, tail);
  const server = new ConsoleServer({
    data: new ConsoleData(deps),
    wiring: start.wiring,
    port: start.port,
    onError: start.onError,
  });
  try {
    const url = await server.start();
    await tail.start();
    return {
      url,
      stop: async () => {
        await server.close();
        await tail.stop();
        await deps.deadLetters.close();
        clients.destroy();
      },
    };
  } catch (error) {
    await server.close();
    clients.destroy();
    throw error;
  }
};
