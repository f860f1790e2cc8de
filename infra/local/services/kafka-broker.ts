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
import type { LocalService } from "./local-service";
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

export const kafkaBroker = (settings: ServiceSettings): LocalService => {
  const home = join(settings.stateDir, "kafka");
  const dataDir = join(home, "data");
  const propertiesFile = join(home, "server.properties");
  const pidFile = join(home, "kafka.pid");
  const logFile = join(settings.logDir, "kafka.log");
  const log4jConfig = join(settings.projectRoot, "infra/local/kafka/log4j2.xml");
  const endpoint = localKafkaBrokers(settings);
  const { host, port, controllerPort } = settings.kafka;

  const java = (classpath: string, mainClass: string, args: readonly string[]) => [
    "-Xms256m",
    "-Xmx1g",
    "-XX:+UseG1GC",
    "-Djava.awt.headless=true",
    `-Dlog4j2.configurationFile=${log4jConfig}`,
    "-cp",
    classpath,
    mainClass,
    ...args,
  ];

  const formatStorageOnce = (classpath: string): void => {
    if (existsSync(join(dataDir, "meta.properties"))) return;
    mkdirSync(dataDir, { recursive: true });
    const clusterId = newClusterId();
    const result = spawnSync(
      "java",
      java(classpath, "kafka.tools.StorageTool", ["format", "-t", clusterId, "-c", propertiesFile]),
      { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], timeout: START_TIMEOUT_MS },
    );
    appendFileSync(logFile, `${result.stdout ?? ""}${result.stderr ?? ""}`);
    if (result.status !== 0) {
      throw new ServiceStartError(
        `Formatting Kafka storage in ${dataDir} failed (exit ${result.status}). Last lines of ${logFile}:\n${tailOf(logFile)}`,
      );
    }
  };

  const status = () => serviceStatus(pidFile, () => kafkaAnswers(endpoint));

  return {
    name: "kafka",
    endpoint,
    logFile,
    status,
    async up(log) {
      if (await kafkaAnswers(endpoint)) return "reused";
      if (runningPid(pidFile) !== undefined) {
        // Ours but not answering yet (another command is starting it): wait for it.
        if (await waitUntil(() => kafkaAnswers(endpoint), START_TIMEOUT_MS, 300)) return "reused";
        throw new ServiceStartError(`Kafka is running but does not answer on ${endpoint}`);
      }
      for (const taken of [port, controllerPort]) {
        if (await isPortOpen(host, taken)) {
          throw new ServiceStartError(
            `Port ${taken} is taken by something that is not a Kafka broker. Free it or set LOCAL_KAFKA_PORT / LOCAL_KAFKA_CONTROLLER_PORT.`,
          );
        }
      }
      requireProgram(
        "java",
        "-version",
        "apt-get install openjdk-17-jre-headless (Java 17 or newer)",
      );
      const classpath = await ensureKafkaJars(settings, log);
      mkdirSync(home, { recursive: true });
      writeFileSync(propertiesFile, serverProperties(settings, dataDir));
      mkdirSync(settings.logDir, { recursive: true });
      formatStorageOnce(classpath);
      const pid = startDetached({
        command: "java",
        args: java(classpath, "kafka.Kafka", [propertiesFile]),
        logFile,
        pidFile,
      });
      const answered = await waitUntil(
        async () => runningPid(pidFile) !== undefined && (await kafkaAnswers(endpoint)),
        START_TIMEOUT_MS,
        300,
      );
      if (!answered) {
        await stopByPidFile(pidFile, {
          name: "kafka",
          host,
          ports: [port, controllerPort],
          graceMs: 5_000,
        });
        throw new ServiceStartError(
          `Kafka (pid ${pid}) did not answer on ${endpoint} within ${START_TIMEOUT_MS / 1000}s. Last lines of ${logFile}:\n${tailOf(logFile)}`,
        );
      }
      return "started";
    },
    down: () =>
      stopByPidFile(pidFile, {
        name: "kafka",
        host,
        ports: [port, controllerPort],
        graceMs: 15_000,
      }),
  };
};
