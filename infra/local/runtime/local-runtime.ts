/**
 * The whole system on one machine, built from the one declaration of the wiring: the
 * declared topics, tables and buckets; one host per function; one local event source mapping
 * per trigger; the HTTP API for the declared routes. `stop()` takes it down in reverse order,
 * letting invocations in flight finish and committing nothing unfinished. See
 * `docs/local-runtime.md`.
 *
 * Starting goes step by step, in that order: {@link ensureDeclaredResources},
 * {@link startFunctionHosts}, {@link startTriggers}, {@link startRoutedHttpApi}; each part
 * started is stopped again if a later step fails.
 *
 * @example
 * ```ts
 * const runtime = await startLocalRuntime({ wiring: systemWiring, settings, services, log: console.log });
 * console.log(runtime.httpUrl);
 * await runtime.stop();
 * ```
 */
import { join, resolve } from "node:path";
import type {
  FunctionDeclaration,
  KafkaTrigger,
  StreamTrigger,
  SystemWiring,
} from "../../wiring/types";
import { ensureTable } from "../aws/dynamodb-tables";
import { ensureBucket } from "../aws/s3-buckets";
import { ensureTopics } from "../kafka-topics";
import type { ServiceSettings } from "../services/service-settings";
import { localFunctionEnvironment } from "./function-environment";
import { createFunctionHost, type FunctionHost, type InvocationOutcome } from "./function-host";
import { HotReload, type HotReloadOptions } from "./hot-reload";
import { type HttpApi, startHttpApi } from "./http-api-server";
import { createKafkaEventSource } from "./kafka-event-source";
import { LambdaInvokeServer } from "./lambda-invoke-server";
import type { RuntimeSettings } from "./runtime-settings";
import { ServiceClients } from "./service-clients";
import { fileCheckpoints, type StreamCheckpoints } from "./stream-checkpoints";
import { createStreamEventSource } from "./stream-event-source";

/** What the local runtime is started with. */
export interface LocalRuntimeOptions {
  readonly wiring: SystemWiring;
  readonly settings: RuntimeSettings;
  readonly services: ServiceSettings;
  readonly log: (line: string) => void;
  /**
   * Where the functions' DynamoDB clients go (`AWS_ENDPOINT_URL_DYNAMODB` in every sandbox),
   * when not to `settings.awsEndpoint`; the runtime's own clients (resources, the stream
   * mapping, on-failure destinations) stay there. The chaos run puts a fault proxy here.
   */
  readonly functionDynamoDbEndpoint?: string;
  /** Told of every invocation a trigger made, once it ended (the chaos run counts them). */
  readonly onTriggerInvocation?: TriggerInvocationObserver;
  /**
   * Told of every invocation of every function, whoever made it (a trigger, the HTTP API, a
   * direct invoke), once it ended: the console counts them.
   */
  readonly onInvocation?: TriggerInvocationObserver;
  /**
   * Where Lambda's Invoke API for every function listens (`npm start` passes
   * LOCAL_LAMBDA_PORT, 3002; 0 for any free port); not started when absent.
   */
  readonly lambdaPort?: number;
  /**
   * The folders hot reload watches (`npm start` passes `defaultWatchedDirs`); no hot
   * reload when absent.
   */
  readonly hotReload?: Pick<HotReloadOptions, "sourceDirs" | "wiringDirs">;
}

/** Sees one invocation of a function by its trigger: the event, how it ended, and when. */
export type TriggerInvocationObserver = (
  functionName: string,
  event: unknown,
  outcome: InvocationOutcome,
  timing: InvocationTiming,
) => void;

/** When an invocation started and ended, in epoch milliseconds (the bench's stages use it). */
export interface InvocationTiming {
  readonly startedAt: number;
  readonly endedAt: number;
}

/** The running local system. */
export interface LocalRuntime {
  /** Where the HTTP API listens; undefined when no function declares routes. */
  readonly httpUrl: string | undefined;
  /** Where Lambda's Invoke API listens; undefined when no `lambdaPort` was given. */
  readonly lambdaUrl: string | undefined;
  /** The names of the functions, as declared. */
  readonly functions: readonly string[];
  /** Holds `<function>.log` for every function. */
  readonly functionLogDir: string;
  /** Stops everything, last started first, then closes the clients. */
  stop(): Promise<void>;
}

interface Stoppable {
  stop(): Promise<void>;
}

/** The parts started so far, stopped last first. */
class StartedParts {
  readonly #parts: Stoppable[] = [];

  add(part: Stoppable): void {
    this.#parts.push(part);
  }

  async stopAll(): Promise<void> {
    for (const part of this.#parts.reverse()) await part.stop();
  }
}

/** What the steps of starting share. */
interface Startup extends LocalRuntimeOptions {
  readonly clients: ServiceClients;
  readonly started: StartedParts;
}

/** Starts the whole declared system; if any step fails, what was started is stopped again. */
export const startLocalRuntime = async (options: LocalRuntimeOptions): Promise<LocalRuntime> => {
  const clients = new ServiceClients(options.settings);
  const started = new StartedParts();
  const stop = async () => {
    await started.stopAll();
    clients.destroy();
  };
  const startup: Startup = { ...options, clients, started };
  try {
    const streamArns = await ensureDeclaredResources(startup);
    const functionLogDir = join(options.services.logDir, "functions");
    const hosts = startFunctionHosts(startup, functionLogDir);
    await startHotReload(startup, hosts);
    await startTriggers(startup, hosts, streamArns);
    const api = await startRoutedHttpApi(startup, hosts);
    const lambda = await startLambdaInvoke(startup, hosts);
    const functions = [...hosts.keys()];
    return { httpUrl: api?.url, lambdaUrl: lambda?.url, functions, functionLogDir, stop };
  } catch (error) {
    await stop();
    throw error;
  }
};

/** Resources first, from the declaration; returns each table's stream ARN, if it has one. */
const ensureDeclaredResources = async ({
  wiring,
  clients,
  log,
}: Startup): Promise<Map<string, string | undefined>> => {
  const created = await ensureTopics(clients.kafka, wiring.topics);
  if (created.length > 0) log(`created topics ${created.join(", ")}`);
  const streamArns = new Map<string, string | undefined>();
  for (const table of wiring.tables) {
    streamArns.set(table.name, (await ensureTable(clients.dynamodb, table, table.name)).streamArn);
  }
  for (const bucket of wiring.buckets) await ensureBucket(clients.s3, bucket);
  return streamArns;
};

/** One host per function, loaded from the entry file CDK bundles; HTTP functions get 4 sandboxes. */
const startFunctionHosts = (
  { wiring, settings, services, started, functionDynamoDbEndpoint, onInvocation }: Startup,
  functionLogDir: string,
): Map<string, FunctionHost> => {
  const hosts = new Map<string, FunctionHost>();
  for (const declaration of wiring.functions) {
    const host = createFunctionHost({
      name: declaration.name,
      entry: resolve(services.projectRoot, declaration.entry),
      environment: {
        ...localFunctionEnvironment(declaration, settings, {
          tableName: (name) => name,
          bucketName: (name) => name,
        }),
        // The SDK prefers a service's own endpoint variable to AWS_ENDPOINT_URL.
        ...(functionDynamoDbEndpoint === undefined
          ? {}
          : { AWS_ENDPOINT_URL_DYNAMODB: functionDynamoDbEndpoint }),
      },
      timeoutSeconds: declaration.timeoutSeconds,
      memoryMb: declaration.memoryMb,
      maxConcurrency: declaration.routes === undefined ? 1 : 4,
      logFile: join(functionLogDir, `${declaration.name}.log`),
    });
    hosts.set(
      declaration.name,
      onInvocation === undefined ? host : observedHost(host, onInvocation),
    );
    started.add(host);
  }
  return hosts;
};

/** The host, with the observer told of every invocation once it ended. */
const observedHost = (host: FunctionHost, observer: TriggerInvocationObserver): FunctionHost => ({
  name: host.name,
  invoke: async (event) => {
    const startedAt = Date.now();
    const outcome = await host.invoke(event);
    observer(host.name, event, outcome, { startedAt, endedAt: Date.now() });
    return outcome;
  },
  reload: () => host.reload(),
  stop: () => host.stop(),
});

/** Hot reload of the functions' sources, when asked for; stopped before the hosts. */
const startHotReload = async (
  { wiring, services, log, started, hotReload }: Startup,
  hosts: ReadonlyMap<string, FunctionHost>,
): Promise<void> => {
  if (hotReload === undefined) return;
  const functions = wiring.functions.flatMap((declaration) => {
    const host = hosts.get(declaration.name);
    if (host === undefined) return [];
    const entry = resolve(services.projectRoot, declaration.entry);
    return [{ name: declaration.name, entry, reload: () => host.reload() }];
  });
  const watcher = new HotReload({ root: services.projectRoot, functions, log, ...hotReload });
  await watcher.start();
  started.add(watcher);
};

/** The host's invoke, with the observer (if any) told of each outcome. */
const observedInvoke = (
  { onTriggerInvocation }: Startup,
  declaration: FunctionDeclaration,
  host: FunctionHost,
): ((event: unknown) => Promise<InvocationOutcome>) => {
  if (onTriggerInvocation === undefined) return host.invoke;
  return async (event) => {
    const startedAt = Date.now();
    const outcome = await host.invoke(event);
    onTriggerInvocation(declaration.name, event, outcome, { startedAt, endedAt: Date.now() });
    return outcome;
  };
};

/** The triggers, one mapping each. One checkpoint file for every stream mapping, written by one store. */
const startTriggers = async (
  startup: Startup,
  hosts: ReadonlyMap<string, FunctionHost>,
  streamArns: ReadonlyMap<string, string | undefined>,
): Promise<void> => {
  const checkpoints = fileCheckpoints(
    join(startup.services.stateDir, "runtime", "stream-checkpoints.json"),
  );
  for (const declaration of startup.wiring.functions) {
    const trigger = declaration.trigger;
    const host = hosts.get(declaration.name);
    if (trigger === undefined || host === undefined) continue;
    if (trigger.kind === "kafka") {
      await startKafkaTrigger(startup, declaration, trigger, host);
    } else {
      const streamArn = streamArns.get(trigger.table);
      if (streamArn === undefined)
        throw new Error(`table ${trigger.table} has no stream for ${declaration.name}`);
      await startStreamTrigger(startup, { declaration, trigger, host, streamArn, checkpoints });
    }
  }
};

/** A Kafka mapping, stopped with the runtime once it started. */
const startKafkaTrigger = async (
  startup: Startup,
  declaration: FunctionDeclaration,
  trigger: KafkaTrigger,
  host: FunctionHost,
): Promise<void> => {
  const { settings, clients, log, started } = startup;
  const source = createKafkaEventSource({
    functionName: declaration.name,
    trigger,
    kafka: clients.kafka,
    bootstrapServers: settings.kafkaBrokers,
    region: settings.region,
    invoke: observedInvoke(startup, declaration, host),
    log,
  });
  await source.start();
  started.add(source);
};

/** A DynamoDB stream mapping, stopped with the runtime once it started. */
const startStreamTrigger = async (
  startup: Startup,
  mapping: {
    readonly declaration: FunctionDeclaration;
    readonly trigger: StreamTrigger;
    readonly host: FunctionHost;
    readonly streamArn: string;
    readonly checkpoints: StreamCheckpoints;
  },
): Promise<void> => {
  const { settings, clients, log, started } = startup;
  const { declaration, trigger } = mapping;
  const source = createStreamEventSource({
    functionName: declaration.name,
    trigger,
    streamArn: mapping.streamArn,
    streams: clients.streams,
    s3: clients.s3,
    onFailureBucket: trigger.onFailure.bucket,
    region: settings.region,
    checkpoints: mapping.checkpoints,
    invoke: observedInvoke(startup, declaration, mapping.host),
    log,
  });
  await source.start();
  started.add(source);
};

/**
 * The HTTP API for every declared route, last: requests arrive only once everything behind
 * them runs. Undefined when no function declares routes.
 */
const startRoutedHttpApi = async (
  { wiring, settings, log, started }: Startup,
  hosts: ReadonlyMap<string, FunctionHost>,
): Promise<HttpApi | undefined> => {
  const routes = wiring.functions.flatMap((declaration) =>
    (declaration.routes ?? []).map((route) => ({ ...route, target: declaration.name })),
  );
  if (routes.length === 0) return undefined;
  const api = await startHttpApi({
    port: settings.httpPort,
    routes,
    log,
    invoke: (target, event) => {
      const host = hosts.get(target);
      if (host === undefined) throw new Error(`no function ${target}`);
      return host.invoke(event);
    },
  });
  started.add({ stop: () => api.close() });
  return api;
};

/** Lambda's Invoke API for every hosted function, when a port is asked for. */
const startLambdaInvoke = async (
  { lambdaPort, log, started }: Startup,
  hosts: ReadonlyMap<string, FunctionHost>,
): Promise<LambdaInvokeServer | undefined> => {
  if (lambdaPort === undefined) return undefined;
  const server = await LambdaInvokeServer.start({
    port: lambdaPort,
    log,
    invoke: (name, event) => hosts.get(name)?.invoke(event),
  });
  started.add({ stop: () => server.close() });
  return server;
};
