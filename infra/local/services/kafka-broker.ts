/**
 * The local Apache Kafka broker: a single KRaft node (broker and controller in one JVM),
 * bound to 127.0.0.1, automatic topic creation off as on MSK, settings for fast tests.
 *
 * @example
 * ```ts
 * const kafka = kafkaBroker(readServiceSettings(process.env));
 * await kafka.up(console.log);
 * ```
 */
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { appendFileSync, existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Kafka, logLevel } from "kafkajs";
import { ServiceStartError } from "./errors";
import { ensureKafkaJars } from "./kafka-jars";
import type { LocalService, ServiceStatus } from "./local-service";
import {
  isPortOpen,
  requireProgram,
  runningPid,
  serviceStatus,
  startDetached,
  stopByPidFile,
  tailOf,
  waitUntil,
} from "./process-control";
import { localKafkaBrokers, type ServiceSettings } from "./service-settings";

const START_TIMEOUT_MS = 60_000;

const serverProperties = (settings: ServiceSettings, dataDir: string): string => {
  const { host, port, controllerPort } = settings.kafka;
  return [
    "process.roles=broker,controller",
    "node.id=1",
    `controller.quorum.voters=1@${host}:${controllerPort}`,
    `listeners=PLAINTEXT://${host}:${port},CONTROLLER://${host}:${controllerPort}`,
    `advertised.listeners=PLAINTEXT://${host}:${port}`,
    "controller.listener.names=CONTROLLER",
    "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
    "inter.broker.listener.name=PLAINTEXT",
    `log.dirs=${dataDir}`,
    // As on MSK: topics exist only when created on purpose.
    "auto.create.topics.enable=false",
    // One node: internal topics with one partition and one replica start in milliseconds.
    "offsets.topic.replication.factor=1",
    "offsets.topic.num.partitions=1",
    "transaction.state.log.replication.factor=1",
    "transaction.state.log.min.isr=1",
    "transaction.state.log.num.partitions=1",
    "share.coordinator.state.topic.replication.factor=1",
    "share.coordinator.state.topic.min.isr=1",
    "group.initial.rebalance.delay.ms=0",
    "",
  ].join("\n");
};

/** True when the broker answers a metadata request. */
export const kafkaAnswers = async (brokers: string): Promise<boolean> => {
  const admin = new Kafka({
    clientId: "local-services-probe",
    brokers: [brokers],
    connectionTimeout: 1_000,
    requestTimeout: 2_000,
    retry: { retries: 0 },
    logLevel: logLevel.NOTHING,
  }).admin();
  try {
    await admin.connect();
    const cluster = await admin.describeCluster();
    return cluster.brokers.length > 0;
  } catch {
    return false;
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
};

/**
 * A KRaft cluster id: 16 random bytes in base64url, as Kafka makes them. Like Kafka's own
 * `Uuid.randomUuid`, it never starts with "-", which the storage tool would read as an option.
 */
export const newClusterId = (): string => {
  const id = randomBytes(16).toString("base64url");
  return id.startsWith("-") ? newClusterId() : id;
};

/** The files of one broker: its settings, data, pid and log, under the checkout's state. */
interface BrokerFiles {
  readonly home: string;
  readonly dataDir: string;
  readonly propertiesFile: string;
  readonly pidFile: string;
  readonly logFile: string;
  readonly log4jConfig: string;
}

const brokerFiles = (settings: ServiceSettings): BrokerFiles => {
  const home = join(settings.stateDir, "kafka");
  return {
    home,
    dataDir: join(home, "data"),
    propertiesFile: join(home, "server.properties"),
    pidFile: join(home, "kafka.pid"),
    logFile: join(settings.logDir, "kafka.log"),
    log4jConfig: join(settings.projectRoot, "infra/local/kafka/log4j2.xml"),
  };
};

/**
 * The broker of one checkout (its ports, state and log from `settings`): `up` reuses a
 * broker that answers, waits for one this checkout is starting, or starts one (formatting
 * its storage on first start); `down` stops only the broker this checkout started.
 */
class KafkaBroker implements LocalService {
  readonly name = "kafka";
  readonly endpoint: string;
  readonly logFile: string;
  readonly #settings: ServiceSettings;
  readonly #files: BrokerFiles;

  constructor(settings: ServiceSettings) {
    this.#settings = settings;
    this.#files = brokerFiles(settings);
    this.endpoint = localKafkaBrokers(settings);
    this.logFile = this.#files.logFile;
  }

  status(): Promise<ServiceStatus> {
    return serviceStatus(this.#files.pidFile, () => kafkaAnswers(this.endpoint));
  }

  async up(log: (line: string) => void, signal?: AbortSignal): Promise<"started" | "reused"> {
    if (await kafkaAnswers(this.endpoint)) return "reused";
    if (runningPid(this.#files.pidFile) !== undefined) {
      // Ours but not answering yet (another command is starting it): wait for it.
      if (await waitUntil(() => kafkaAnswers(this.endpoint), START_TIMEOUT_MS, 300, signal)) {
        return "reused";
      }
      signal?.throwIfAborted();
      throw new ServiceStartError(`Kafka is running but does not answer on ${this.endpoint}`);
    }
    await this.#requireFreePorts();
    const classpath = await this.#prepare(log);
    await this.#start(classpath, signal);
    return "started";
  }

  down(): Promise<boolean> {
    return this.#stop(15_000);
  }

  async #requireFreePorts(): Promise<void> {
    const { host, port, controllerPort } = this.#settings.kafka;
    for (const taken of [port, controllerPort]) {
      if (await isPortOpen(host, taken)) {
        throw new ServiceStartError(
          `Port ${taken} is taken by something that is not a Kafka broker. Free it or set LOCAL_KAFKA_PORT / LOCAL_KAFKA_CONTROLLER_PORT.`,
        );
      }
    }
  }

  /** Java, the Kafka jars, `server.properties` and formatted storage; the classpath. */
  async #prepare(log: (line: string) => void): Promise<string> {
    requireProgram(
      "java",
      "-version",
      "apt-get install openjdk-17-jre-headless (Java 17 or newer)",
    );
    const classpath = await ensureKafkaJars(this.#settings, log);
    const { home, dataDir, propertiesFile } = this.#files;
    mkdirSync(home, { recursive: true });
    writeFileSync(propertiesFile, serverProperties(this.#settings, dataDir));
    mkdirSync(this.#settings.logDir, { recursive: true });
    this.#formatStorageOnce(classpath);
    return classpath;
  }

  #formatStorageOnce(classpath: string): void {
    const { dataDir, propertiesFile, logFile } = this.#files;
    if (existsSync(join(dataDir, "meta.properties"))) return;
    mkdirSync(dataDir, { recursive: true });
    const format = ["format", "-t", newClusterId(), "-c", propertiesFile];
    const result = spawnSync("java", this.#java(classpath, "kafka.tools.StorageTool", format), {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
      timeout: START_TIMEOUT_MS,
    });
    appendFileSync(logFile, `${result.stdout ?? ""}${result.stderr ?? ""}`);
    if (result.status !== 0) {
      throw new ServiceStartError(
        `Formatting Kafka storage in ${dataDir} failed (exit ${result.status}). Last lines of ${logFile}:\n${tailOf(logFile)}`,
      );
    }
  }

  /** Starts the broker detached; resolves once it answers, or stops it and throws. */
  async #start(classpath: string, signal: AbortSignal | undefined): Promise<void> {
    const { pidFile, propertiesFile, logFile } = this.#files;
    const pid = startDetached({
      command: "java",
      args: this.#java(classpath, "kafka.Kafka", [propertiesFile]),
      logFile,
      pidFile,
      signal,
    });
    const answered = await waitUntil(
      async () => runningPid(pidFile) !== undefined && (await kafkaAnswers(this.endpoint)),
      START_TIMEOUT_MS,
      300,
      signal,
    );
    if (answered) return;
    await this.#stop(5_000);
    signal?.throwIfAborted();
    throw new ServiceStartError(
      `Kafka (pid ${pid}) did not answer on ${this.endpoint} within ${START_TIMEOUT_MS / 1000}s. Last lines of ${logFile}:\n${tailOf(logFile)}`,
    );
  }

  #stop(graceMs: number): Promise<boolean> {
    const { host, port, controllerPort } = this.#settings.kafka;
    return stopByPidFile(this.#files.pidFile, {
      name: "kafka",
      host,
      ports: [port, controllerPort],
      graceMs,
    });
  }

  /** The JVM's arguments for one of Kafka's main classes. */
  #java(classpath: string, mainClass: string, args: readonly string[]): string[] {
    return [
      "-Xms256m",
      "-Xmx1g",
      "-XX:+UseG1GC",
      "-Djava.awt.headless=true",
      `-Dlog4j2.configurationFile=${this.#files.log4jConfig}`,
      "-cp",
      classpath,
      mainClass,
      ...args,
    ];
  }
}

/**
 * The local Kafka broker as a {@link LocalService}, configured by `settings` (host, broker
 * and controller ports, state and log folders). Its state lives in `<stateDir>/kafka`
 * (`server.properties`, `data/`, `kafka.pid`), its output in `<logDir>/kafka.log`.
 */
export const kafkaBroker = (settings: ServiceSettings): LocalService => new KafkaBroker(settings);
