/**
 * Free ports for the private services tests start (a second broker, a private moto, an
 * `npm start` of their own): picked so that no two test workers, and no client of the shared
 * services, can take the same port between the pick and the service's start.
 */
import { type AddressInfo, createServer, type Server } from "node:net";

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
