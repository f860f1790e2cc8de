/**
 * Invokes one declared function once, as `npm start` would: the local services it needs
 * started or reused (and left running), the wiring's topics, tables and buckets created when
 * missing, then one sandbox of the function's host with its environment from the wiring and
 * its timeout. Its output goes to its log file and to `output`.
 *
 * @example
 * ```ts
 * const outcome = await invokeOnce(declaration, event, { wiring, env: process.env, log, output });
 * ```
 */
import { join, resolve } from "node:path";
import type { FunctionDeclaration, SystemWiring } from "../../wiring/types";
import { ensureTable } from "../aws/dynamodb-tables";
import { ensureBucket } from "../aws/s3-buckets";
import { ensureTopics } from "../kafka-topics";
import { localFunctionEnvironment } from "../runtime/function-environment";
import { createFunctionHost, type InvocationOutcome } from "../runtime/function-host";
import { readRuntimeSettings } from "../runtime/runtime-settings";
import { ServiceClients } from "../runtime/service-clients";
import { kafkaBroker } from "../services/kafka-broker";
import { describeUp, servicesUp } from "../services/local-services";
import { motoServer } from "../services/moto-server";
import { readServiceSettings } from "../services/service-settings";

/** What one invocation needs beside the function and its event. */
export interface InvocationSetting {
  readonly wiring: SystemWiring;
  readonly env: NodeJS.ProcessEnv;
  /** The tool's own lines (services, resources). */
  readonly log: (line: string) => void;
  /** The sandbox's stdout and stderr. */
  readonly output: (chunk: Buffer) => void;
}

/** The wiring's topics, tables and buckets, created when missing, as `npm start` does. */
const ensureResources = async (
  wiring: SystemWiring,
  clients: ServiceClients,
  log: (line: string) => void,
) => {
  const created = await ensureTopics(clients.kafka, wiring.topics);
  if (created.length > 0) log(`created topics ${created.join(", ")}`);
  for (const table of wiring.tables) await ensureTable(clients.dynamodb, table, table.name);
  for (const bucket of wiring.buckets) await ensureBucket(clients.s3, bucket);
};

/** Runs the function once on the event; never rejects for a function's failure. */
export const invokeOnce = async (
  declaration: FunctionDeclaration,
  event: unknown,
  { wiring, env, log, output }: InvocationSetting,
): Promise<InvocationOutcome> => {
  const services = readServiceSettings(env);
  const settings = readRuntimeSettings(env, services);
  const needed = [
    ...(settings.usesLocalKafka ? [kafkaBroker(services)] : []),
    ...(settings.usesLocalAws ? [motoServer(services)] : []),
  ];
  const reports = await servicesUp(needed, log);
  for (const report of reports)
    if (report.outcome === "started") log(`${describeUp(report)}, left running`);
  const clients = new ServiceClients(settings);
  try {
    await ensureResources(wiring, clients, log);
  } finally {
    clients.destroy();
  }
  const host = createFunctionHost({
    name: declaration.name,
    entry: resolve(services.projectRoot, declaration.entry),
    environment: localFunctionEnvironment(declaration, settings, {
      tableName: (name) => name,
      bucketName: (name) => name,
    }),
    timeoutSeconds: declaration.timeoutSeconds,
    memoryMb: declaration.memoryMb,
    logFile: join(services.logDir, "functions", `${declaration.name}.log`),
    output,
  });
  try {
    return await host.invoke(event);
  } finally {
    await host.stop();
  }
};
