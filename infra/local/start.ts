/**
 * `npm start`: the whole system on one machine. Brings up the local services it needs (or
 * reuses running ones), creates the declared topics, tables and buckets, starts every
 * function with its triggers and the HTTP API, prints where everything is and a line with
 * `ready`. SIGINT or SIGTERM stops it all cleanly: invocations in flight finish, nothing
 * unfinished is committed, and services this command started are stopped again; during
 * startup too (`start-shutdown.ts`), and when a part fails to start.
 */
import { systemWiring } from "../wiring/system-wiring";
import { InvocationStats } from "./console/invocation-stats";
import { readConsoleSettings, startConsole } from "./console/start-console";
import { defaultWatchedDirs } from "./runtime/hot-reload";
import { type LocalRuntime, startLocalRuntime } from "./runtime/local-runtime";
import { type RuntimeSettings, readRuntimeSettings } from "./runtime/runtime-settings";
import { kafkaBroker } from "./services/kafka-broker";
import { describeUp, servicesDown, servicesUp } from "./services/local-services";
import { motoServer } from "./services/moto-server";
import { readServiceSettings, type ServiceSettings } from "./services/service-settings";
import { StartShutdown } from "./start-shutdown";

const log = (line: string) => console.log(`[runtime] ${line}`);

/** The lines `npm start` prints once everything runs: where each part is. */
const printWhereEverythingIs = (
  settings: RuntimeSettings,
  services: ServiceSettings,
  runtime: LocalRuntime,
  consoleUrl: string | undefined,
  hotReload: boolean,
): void => {
  console.log(`Node ${process.version}`);
  console.log(`kafka      ${settings.kafkaBrokers} (auth ${settings.kafkaAuth})`);
  console.log(`aws        ${settings.awsEndpoint ?? "AWS"} (${settings.region})`);
  console.log(`functions  ${runtime.functions.join(", ")}`);
  console.log(`logs       ${runtime.functionLogDir}/<function>.log, ${services.logDir}`);
  if (runtime.httpUrl !== undefined) console.log(`http api   ${runtime.httpUrl}`);
  if (runtime.lambdaUrl !== undefined) console.log(`lambda     ${runtime.lambdaUrl} (Invoke API)`);
  console.log(`console    ${consoleUrl ?? "off (LOCAL_CONSOLE=false)"}`);
  console.log(
    `reload     ${hotReload ? "on: functions/, shared/ (LOCAL_HOT_RELOAD=false turns it off)" : "off"}`,
  );
};

const main = async (shutdown: StartShutdown): Promise<void> => {
  const began = performance.now();
  const services = readServiceSettings(process.env);
  const settings = readRuntimeSettings(process.env, services);
  const needed = [
    ...(settings.usesLocalKafka ? [kafkaBroker(services)] : []),
    ...(settings.usesLocalAws ? [motoServer(services)] : []),
  ];
  // Aborted, it stops what it started itself and rejects.
  const reports = await servicesUp(needed, log, shutdown.signal);
  const startedHere = needed.filter((service) =>
    reports.some((report) => report.name === service.name && report.outcome === "started"),
  );
  shutdown.stopsWith(() => servicesDown(startedHere));
  for (const report of reports) console.log(describeUp(report));

  // Hot reload unless LOCAL_HOT_RELOAD=false or `npm start -- --no-reload`.
  const hotReload = settings.hotReload && !process.argv.includes("--no-reload");
  const consoleSettings = readConsoleSettings(process.env);
  const stats = new InvocationStats();
  const runtime = await startLocalRuntime({
    wiring: systemWiring,
    settings,
    services,
    log,
    hotReload: hotReload ? defaultWatchedDirs(services.projectRoot) : undefined,
    onInvocation: stats.observe,
    lambdaPort: settings.lambdaPort,
  });
  shutdown.stopsWith(() => runtime.stop());
  const localConsole = consoleSettings.LOCAL_CONSOLE
    ? await startConsole({
        wiring: systemWiring,
        settings,
        services,
        stats,
        port: consoleSettings.LOCAL_CONSOLE_PORT,
        onError: (error) =>
          log(`console: ${error instanceof Error ? error.message : String(error)}`),
      })
    : undefined;
  if (localConsole !== undefined) shutdown.stopsWith(() => localConsole.stop());

  printWhereEverythingIs(settings, services, runtime, localConsole?.url, hotReload);
  console.log(
    `ready in ${((performance.now() - began) / 1000).toFixed(1)}s (Ctrl-C stops everything)`,
  );
};

new StartShutdown().run(main);
