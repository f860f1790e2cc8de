/**
 * The system a chaos run drives, all of it its own: a private moto, a private Kafka broker
 * (`second-broker.ts`, so killing it disturbs no other test and no `npm start`), the fault
 * proxies in front of them, and the whole local runtime from the wiring, as `npm start` runs
 * it, with its state (stream checkpoints, function logs) in the run's folder.
 *
 * ```
 * clients --HTTP--> runtime: orders-api, outbox-relay, consumers
 *   functions' DynamoDB  --> DynamoDB fault proxy (conflict mode on) --> private moto
 *   runtime's own AWS    -----------------------------------------------> private moto
 *   everything Kafka     --> Kafka fault proxy -------------------------> private broker
 * the run's own reader and observer ------------------------------------> private broker
 * ```
 *
 * Every function reaches DynamoDB through the proxy (the runtime's `functionDynamoDbEndpoint`,
 * so S3 and the runtime's own clients, which set up tables and poll the stream, go straight
 * to moto), and the runtime and its functions reach Kafka only through the Kafka proxy. Each
 * trigger's invocations are counted (`invocation-counts.ts`).
 *
 * @example
 * ```ts
 * const system = await startChaosSystem({ stateDir, seed: 1, log });
 * system.dynamo.setRules([...]);
 * await system.stop();
 * ```
 */
import { createWriteStream, mkdirSync } from "node:fs";
import { join } from "node:path";
import { type LocalRuntime, startLocalRuntime } from "../../infra/local/runtime/local-runtime";
import { readRuntimeSettings } from "../../infra/local/runtime/runtime-settings";
import { systemWiring } from "../../infra/wiring/system-wiring";
import {
  type DynamoFaultProxy,
  startDynamoFaultProxy,
} from "../support/faults/dynamodb-fault-proxy";
import { type KafkaFaultProxy, startKafkaFaultProxy } from "../support/faults/kafka-fault-proxy";
import { freePorts } from "../support/free-ports";
import { type SecondBroker, startSecondBroker } from "../support/second-broker";
import { type InvocationCounts, invocationCounts } from "./invocation-counts";
import { type PrivateMoto, startPrivateMoto } from "./private-moto";

export interface ChaosSystemOptions {
  /** Where the run keeps its state and logs. */
  readonly stateDir: string;
  readonly seed: number;
  /** Progress of the start; the runtime's own lines go to `<stateDir>/logs/runtime.log`. */
  readonly say: (line: string) => void;
}

export interface ChaosSystem {
  readonly httpUrl: string;
  /** The private broker itself, for the run's own reader and observer. */
  readonly brokerEndpoint: string;
  readonly broker: SecondBroker;
  readonly dynamo: DynamoFaultProxy;
  readonly kafka: KafkaFaultProxy;
  readonly runtime: LocalRuntime;
  readonly invocations: InvocationCounts;
  readonly functionLogDir: string;
  /** Stops everything it started, the runtime first; never rejects (errors are returned). */
  stop(): Promise<string[]>;
}

/** Stoppers of what started so far, run last first. */
const stoppers = () => {
  const all: [string, () => Promise<unknown>][] = [];
  return {
    add: (name: string, stop: () => Promise<unknown>) => all.push([name, stop]),
    stopAll: async (): Promise<string[]> => {
      const errors: string[] = [];
      for (const [name, stop] of all.reverse()) {
        try {
          await stop();
        } catch (error) {
          errors.push(`${name}: ${error instanceof Error ? error.message : String(error)}`);
        }
      }
      return errors;
    },
  };
};

export const startChaosSystem = async (options: ChaosSystemOptions): Promise<ChaosSystem> => {
  const { stateDir, say } = options;
  const started = stoppers();
  try {
    say("starting a private moto and a private Kafka broker");
    const [motoStart, brokerStart] = await Promise.allSettled([
      startPrivateMoto(stateDir),
      startSecondBroker(),
    ]);
    if (motoStart.status === "fulfilled") started.add("moto", motoStart.value.stop);
    if (brokerStart.status === "fulfilled") started.add("broker", brokerStart.value.dispose);
    if (motoStart.status === "rejected") throw motoStart.reason;
    if (brokerStart.status === "rejected") throw brokerStart.reason;
    const moto: PrivateMoto = motoStart.value;
    const broker: SecondBroker = brokerStart.value;
    const kafka = await startKafkaFaultProxy({ upstream: broker.endpoint });
    started.add("kafka proxy", kafka.close);
    const dynamo = await startDynamoFaultProxy({
      upstream: moto.endpoint,
      conflicts: true,
      seed: options.seed,
    });
    started.add("dynamodb proxy", dynamo.close);

    const [httpPort] = await freePorts(1);
    const settings = readRuntimeSettings(
      {
        ...process.env,
        // Function logs stay readable on two cores unless the caller asks for more.
        POWERTOOLS_LOG_LEVEL: process.env.POWERTOOLS_LOG_LEVEL ?? "WARN",
        LOCAL_HTTP_PORT: String(httpPort),
        AWS_ENDPOINT_URL: moto.endpoint,
        KAFKA_BROKERS: kafka.endpoint,
        KAFKA_AUTH: "none",
        KAFKA_TLS: "false",
      },
      moto.services,
    );
    mkdirSync(moto.services.logDir, { recursive: true });
    const runtimeLog = createWriteStream(join(moto.services.logDir, "runtime.log"), { flags: "a" });
    started.add("runtime log", () => new Promise<void>((done) => runtimeLog.end(done)));
    const invocations = invocationCounts();
    say(
      `starting the local runtime (Kafka via ${kafka.endpoint}, DynamoDB via ${dynamo.endpoint})`,
    );
    const runtime = await startLocalRuntime({
      wiring: systemWiring,
      settings,
      services: moto.services,
      log: (line) => runtimeLog.write(`${new Date().toISOString()} ${line}\n`),
      functionDynamoDbEndpoint: dynamo.endpoint,
      onTriggerInvocation: invocations.observe,
    });
    started.add("runtime", runtime.stop);
    if (runtime.httpUrl === undefined) throw new Error("the wiring declares no HTTP routes");
    return {
      httpUrl: runtime.httpUrl,
      brokerEndpoint: broker.endpoint,
      broker,
      dynamo,
      kafka,
      runtime,
      invocations,
      functionLogDir: runtime.functionLogDir,
      stop: started.stopAll,
    };
  } catch (error) {
    await started.stopAll();
    throw error;
  }
};
