/**
 * A second, private Kafka broker for tests that stop a broker: its own free ports and its
 * state in a temporary folder, so the shared broker keeps serving every other test.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { kafkaBroker } from "../../infra/local/services/kafka-broker";
import type { LocalService } from "../../infra/local/services/local-service";
import {
  localKafkaBrokers,
  readServiceSettings,
} from "../../infra/local/services/service-settings";

/** Distinct ports nothing listens on right now (held open together, so never the same). */
export const freePorts = async (count: number): Promise<number[]> => {
  const servers = Array.from({ length: count }, () => createServer());
  const ports = await Promise.all(
    servers.map(
      (server) =>
        new Promise<number>((resolve, reject) => {
          server.once("error", reject);
          server.listen(0, "127.0.0.1", () => {
            const address = server.address();
            if (typeof address === "object" && address !== null) resolve(address.port);
            else reject(new Error("no port"));
          });
        }),
    ),
  );
  await Promise.all(
    servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))),
  );
  return ports;
};

export interface SecondBroker {
  readonly broker: LocalService;
  /** "127.0.0.1:<port>" */
  readonly endpoint: string;
  /** Stops the broker and removes its state. */
  dispose(): Promise<void>;
}

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
  return {
    broker,
    endpoint: localKafkaBrokers(settings),
    async dispose() {
      await broker.down();
      await rm(stateDir, { recursive: true, force: true });
    },
  };
};
