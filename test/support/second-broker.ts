/**
 * A second, private Kafka broker for tests that stop a broker: its own free ports and its
 * state in a temporary folder, so the shared broker keeps serving every other test. It can
 * be stopped (`broker.down()`), killed as a crash would (`kill()`), and started again on the
 * same ports with the same data (`restart()`).
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { kafkaBroker } from "../../infra/local/services/kafka-broker";
import type { LocalService } from "../../infra/local/services/local-service";
import {
  isAlive,
  isPortOpen,
  runningPid,
  waitUntil,
} from "../../infra/local/services/process-control";
import {
  localKafkaBrokers,
  readServiceSettings,
} from "../../infra/local/services/service-settings";
import { freePorts } from "./free-ports";

export interface SecondBroker {
  readonly broker: LocalService;
  /** "127.0.0.1:<port>" */
  readonly endpoint: string;
  /**
   * Kills the broker's process group with SIGKILL (no clean shutdown, as a crash) and
   * resolves once the process is gone and its ports are closed; its data stays.
   */
  kill(): Promise<void>;
  /** Starts the broker again on its ports, with its data; resolves once it answers. */
  restart(): Promise<void>;
  /** Stops the broker and removes its state. */
  dispose(): Promise<void>;
}

/** How long a killed broker may take to be gone, its ports closed. */
const KILL_TIMEOUT_MS = 15_000;

export const startSecondBroker = async (): Promise<SecondBroker> => {
  const stateDir = await mkdtemp(join(tmpdir(), "second-kafka-"));
  const [port, controllerPort] = await freePorts(2);
  const settings = readServiceSettings({
    ...process.env,
    LOCAL_KAFKA_PORT: String(port),
    LOCAL_KAFKA_CONTROLLER_PORT: String(controllerPort),
    LOCAL_STATE_DIR: stateDir,
  });
  const broker = kafkaBroker(settings);
  await broker.up(() => undefined);
  // Where kafkaBroker keeps the pid of the process group it started.
  const pidFile = join(settings.stateDir, "kafka", "kafka.pid");
  return {
    broker,
    endpoint: localKafkaBrokers(settings),
    async kill() {
      const pid = runningPid(pidFile);
      if (pid === undefined) return;
      try {
        process.kill(-pid, "SIGKILL");
      } catch {
        process.kill(pid, "SIGKILL");
      }
      const gone = await waitUntil(async () => {
        if (isAlive(pid)) return false;
        const { host, port: brokerPort, controllerPort: quorumPort } = settings.kafka;
        const open = await Promise.all(
          [brokerPort, quorumPort].map((each) => isPortOpen(host, each)),
        );
        return open.every((isOpen) => !isOpen);
      }, KILL_TIMEOUT_MS);
      if (!gone) throw new Error(`the killed broker (pid ${pid}) still holds its ports`);
      runningPid(pidFile); // removes the stale pid file
    },
    async restart() {
      await broker.up(() => undefined);
    },
    async dispose() {
      await broker.down();
      await rm(stateDir, { recursive: true, force: true });
    },
  };
};
