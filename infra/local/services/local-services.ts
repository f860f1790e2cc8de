/**
 * The local stack as one unit: bring every service up (in parallel, reusing running ones,
 * all or nothing), take down the ones this checkout started, report their status.
 *
 * @example
 * ```ts
 * const services = localServices(readServiceSettings(process.env));
 * await servicesUp(services, console.log);
 * ```
 */
import { kafkaBroker } from "./kafka-broker";
import type { LocalService, ServiceStatus } from "./local-service";
import { motoServer } from "./moto-server";
import type { ServiceSettings } from "./service-settings";

export const localServices = (settings: ServiceSettings): readonly LocalService[] => [
  kafkaBroker(settings),
  motoServer(settings),
];

export interface ServiceUpReport {
  readonly name: string;
  readonly endpoint: string;
  readonly outcome: "started" | "reused";
  readonly seconds: number;
}

/** Brings one service up, timed. */
const upReported = async (
  service: LocalService,
  log: (line: string) => void,
  signal: AbortSignal | undefined,
): Promise<ServiceUpReport> => {
  const began = performance.now();
  const outcome = await service.up((line) => log(`[${service.name}] ${line}`), signal);
  const seconds = (performance.now() - began) / 1000;
  return { name: service.name, endpoint: service.endpoint, outcome, seconds };
};

/**
 * Brings every service up, in parallel, reusing those that answer. All or nothing: when one
 * fails to start, the others this call started are stopped again, every failure but the
 * first is logged, and the first is thrown. Aborting `signal` (Ctrl-C) fails every start
 * still under way with its reason, so nothing this call started is left running.
 */
export const servicesUp = async (
  services: readonly LocalService[],
  log: (line: string) => void,
  signal?: AbortSignal,
): Promise<ServiceUpReport[]> => {
  const settled = await Promise.allSettled(
    services.map((service) => upReported(service, log, signal)),
  );
  const reports = settled.flatMap((each) => (each.status === "fulfilled" ? [each.value] : []));
  const failures: unknown[] = settled.flatMap((each) =>
    each.status === "rejected" ? [each.reason] : [],
  );
  // A start that answered just as the abort came has still been aborted.
  if (signal?.aborted && !failures.includes(signal.reason)) failures.unshift(signal.reason);
  if (failures.length === 0) return reports;
  const startedNames = new Set(
    reports.filter((report) => report.outcome === "started").map((report) => report.name),
  );
  const started = services.filter((service) => startedNames.has(service.name));
  const stopped = await servicesDown(started).catch((error: unknown) => {
    log(`stopping what this start started failed: ${String(error)}`);
    return [];
  });
  for (const each of stopped) {
    log(`[${each.name}] ${each.stopped ? "stopped again" : "could not be stopped"}`);
  }
  // An abort fails every start under way with the same reason: it is told once.
  for (const other of failures.slice(1)) {
    if (other !== failures[0]) log(`also failed: ${String(other)}`);
  }
  throw failures[0];
};

export const servicesDown = async (
  services: readonly LocalService[],
): Promise<{ readonly name: string; readonly stopped: boolean }[]> =>
  Promise.all(
    services.map(async (service) => ({ name: service.name, stopped: await service.down() })),
  );

export const servicesStatus = (
  services: readonly LocalService[],
): Promise<{ readonly service: LocalService; readonly status: ServiceStatus }[]> =>
  Promise.all(services.map(async (service) => ({ service, status: await service.status() })));

export const describeUp = (report: ServiceUpReport): string =>
  `${report.name.padEnd(6)} ${report.outcome === "started" ? "started" : "reused "} ${report.endpoint} (${report.seconds.toFixed(1)}s)`;
