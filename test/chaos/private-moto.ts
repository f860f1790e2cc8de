/**
 * A private moto server for the chaos run: its own free port, its pid file and log in the
 * run's state folder. The system's tables have the wiring's fixed names (`orders`,
 * `order-read-model`), and its relay reads the `orders` stream from its start; on the shared
 * moto it would meet every other run's orders and the other tests' load. Stopped with the run.
 *
 * @example
 * ```ts
 * const moto = await startPrivateMoto(stateDir);
 * moto.services.moto.port; // a free port
 * await moto.stop();
 * ```
 */
import { motoServer } from "../../infra/local/services/moto-server";
import {
  localAwsEndpoint,
  readServiceSettings,
  type ServiceSettings,
} from "../../infra/local/services/service-settings";
import { freePorts } from "../support/free-ports";

export interface PrivateMoto {
  /** Service settings naming this moto and the run's state folder. */
  readonly services: ServiceSettings;
  /** `http://127.0.0.1:<port>` */
  readonly endpoint: string;
  stop(): Promise<void>;
}

export const startPrivateMoto = async (stateDir: string): Promise<PrivateMoto> => {
  const [port] = await freePorts(1);
  const services = readServiceSettings({
    ...process.env,
    LOCAL_STATE_DIR: stateDir,
    LOCAL_MOTO_PORT: String(port),
  });
  const moto = motoServer(services);
  await moto.up(() => undefined);
  return {
    services,
    endpoint: localAwsEndpoint(services),
    stop: async () => {
      await moto.down();
    },
  };
};
