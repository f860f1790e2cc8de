/**
 * A second, private Kafka broker for tests that stop a broker: its own free ports and its
 * state in a temporary folder, so the shared broker keeps serving every other test. It can
 * be stopped (`broker.down()`), killed as a crash would (`kill()`), and started again on the
 * same ports with the same data (`restart()`).
 */
import { mkdtemp, rm } from "node:fs/promises";
import { type AddressInfo, createServer, type Server } from "node:net";
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

/**
 * Where {@link freePorts} picks from: below the range Linux gives outgoing connections their
 * local port from (32768-60999 by default), so no client of the shared broker or moto can take
 * a port between its pick and its service's start. Each test worker (`VITEST_POOL_ID`) picks
 * from a slice of its own, so two files running at once never pick the same port.
 */
const PRIVATE_PORTS = { low: 20_000, high: 32_000 } as const;
const WORKER_SLICES = 4;
const MAX_PICKS = 200;

/** This test worker's slice of {@link PRIVATE_PORTS}; all of it outside a test worker. */
const portRange = (): { readonly low: number; readonly high: number } => {
  const worker = Number(process.env.VITEST_POOL_ID);
  if (!Number.isInteger(worker) || worker < 1) return PRIVATE_PORTS;
  const width = (PRIVATE_PORTS.high - PRIVATE_PORTS.low) / WORKER_SLICES;
  const low = PRIVATE_PORTS.low + ((worker - 1) % WORKER_SLICES) * width;
  return { low, high: low + width };
};

/** A server listening on `port`, or undefined when something holds it. */
const listenOn = (port: number): Promise<Server | undefined> =>
  new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(undefined));
    server.listen(port, "127.0.0.1", () => resolve(server));
  });

/**
 * Distinct ports nothing listens on right now, picked at random from this worker's
 * {@link portRange} and held open together while picking, so never the same twice.
 */
export const freePorts = async (count: number): Promise<number[]> => {
  const { low, high } = portRange();
  const held: Server[] = [];
  try {
    for (let pick = 0; held.length < count && pick < MAX_PICKS; pick += 1) {
      const port = low + Math.floor(Math.random() * (high - low));
      const server = await listenOn(port);
      if (server !== undefined) held.push(server);
    }
    if (held.length < count) throw new Error(`no ${count} free ports in ${MAX_PICKS} picks`);
    return held.map((server) => (server.address() as AddressInfo).port);
  } finally {
    await Promise.all(
      held.map((server) => new Promise<void>((done) => server.close(() => done()))),
    );
  }
};

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
