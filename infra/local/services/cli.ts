/**
 * `npm run services:up | services:down | services:status`: the local Kafka broker and moto.
 *
 * @example
 * ```sh
 * npm run services:up
 * LOCAL_KAFKA_PORT=19092 npm run services:status
 * ```
 */

import { abortOnInterrupt, InterruptedError } from "./interrupt";
import {
  describeUp,
  localServices,
  servicesDown,
  servicesStatus,
  servicesUp,
} from "./local-services";
import { readServiceSettings } from "./service-settings";

const usage = "usage: tsx infra/local/services/cli.ts up|down|status";

const main = async (command: string | undefined): Promise<number> => {
  const services = localServices(readServiceSettings(process.env));
  switch (command) {
    case "up": {
      // Ctrl-C: it starts nothing more, stops what it started, and fails.
      const reports = await servicesUp(services, (line) => console.log(line), abortOnInterrupt());
      for (const report of reports) console.log(describeUp(report));
      return 0;
    }
    case "down": {
      for (const { name, stopped } of await servicesDown(services)) {
        console.log(
          `${name.padEnd(6)} ${stopped ? "stopped" : "was not running (from this checkout)"}`,
        );
      }
      return 0;
    }
    case "status": {
      let allRunning = true;
      for (const { service, status } of await servicesStatus(services)) {
        const what =
          status.state === "stopped"
            ? "stopped"
            : status.owner === "ours"
              ? `running (pid ${status.pid}), log ${service.logFile}`
              : "running (started outside this checkout)";
        if (status.state === "stopped") allRunning = false;
        console.log(`${service.name.padEnd(6)} ${service.endpoint.padEnd(24)} ${what}`);
      }
      return allRunning ? 0 : 3;
    }
    default:
      console.error(usage);
      return 2;
  }
};

main(process.argv[2]).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error instanceof Error ? `${error.name}: ${error.message}` : error);
    process.exitCode = error instanceof InterruptedError ? error.exitCode : 1;
  },
);
