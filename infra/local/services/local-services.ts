/**
 * The local stack as one unit: bring every service up (in parallel, reusing running ones),
 * take down the ones this checkout started, report their status.
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

export const servicesUp = (
  services: readonly LocalService[],
  log: (line: string) => void,
): Promise<ServiceUpReport[]> =>
  Promise.all(
    services.map(async (service) => {
      const began = performance.now();
      const outcome = await service.up((line) => log(`[${service.name}] ${line}`));
      const seconds = (performance.now() - began) / 1000;
      return { name: service.name, endpoint: service.endpoint, outcome, seconds };
    }),
  );

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
