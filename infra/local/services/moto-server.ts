/**
 * The local AWS emulator: moto server on 127.0.0.1 (port 4566, LocalStack's, unless
 * configured), serving DynamoDB, DynamoDB Streams, SQS and S3 to the real AWS SDK clients.
 * It is started through `moto_atomic.py`, which makes moto's DynamoDB transactions atomic and
 * keeps their streams alive (the file says why and how), with the project's own pinned moto
 * (`.local/python`, installed on first start: `python-tools.ts`), never a machine-wide one.
 *
 * @example
 * ```ts
 * const moto = motoServer(readServiceSettings(process.env));
 * await moto.up(console.log);
 * ```
 */
import { join } from "node:path";
import { DynamoDBClient, ListTablesCommand } from "@aws-sdk/client-dynamodb";
import { ServiceStartError } from "./errors";
import type { LocalService } from "./local-service";
import {
  isPortOpen,
  runningPid,
  serviceStatus,
  startDetached,
  stopByPidFile,
  tailOf,
  waitUntil,
} from "./process-control";
import { ensurePythonTools } from "./python-tools";
import { localAwsEndpoint, type ServiceSettings } from "./service-settings";

const START_TIMEOUT_MS = 30_000;

const MOTO_LAUNCHER = join(import.meta.dirname, "moto_atomic.py");

/** True when moto answers a DynamoDB API call. */
export const motoAnswers = async (endpoint: string): Promise<boolean> => {
  const client = new DynamoDBClient({
    endpoint,
    region: "us-east-1",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
    maxAttempts: 1,
    requestHandler: { connectionTimeout: 500, requestTimeout: 2_000 },
  });
  try {
    await client.send(new ListTablesCommand({ Limit: 1 }));
    return true;
  } catch {
    return false;
  } finally {
    client.destroy();
  }
};

export const motoServer = (settings: ServiceSettings): LocalService => {
  const pidFile = join(settings.stateDir, "moto", "moto.pid");
  const logFile = join(settings.logDir, "moto.log");
  const endpoint = localAwsEndpoint(settings);
  const { host, port } = settings.moto;

  const status = () => serviceStatus(pidFile, () => motoAnswers(endpoint));

  return {
    name: "moto",
    endpoint,
    logFile,
    status,
    async up(log, signal) {
      if (await motoAnswers(endpoint)) return "reused";
      if (await isPortOpen(host, port)) {
        throw new ServiceStartError(
          `Port ${port} is taken by something that does not answer as moto. Free it or set LOCAL_MOTO_PORT.`,
        );
      }
      const python = await ensurePythonTools(settings.projectRoot, log);
      const pid = startDetached({
        command: python,
        args: [MOTO_LAUNCHER, "-H", host, "-p", String(port)],
        logFile,
        pidFile,
        signal,
      });
      const answered = await waitUntil(
        async () => runningPid(pidFile) !== undefined && (await motoAnswers(endpoint)),
        START_TIMEOUT_MS,
        200,
        signal,
      );
      if (!answered) {
        await stopByPidFile(pidFile, { name: "moto", host, ports: [port], graceMs: 3_000 });
        signal?.throwIfAborted();
        throw new ServiceStartError(
          `moto (pid ${pid}) did not answer on ${endpoint} within ${START_TIMEOUT_MS / 1000}s. Last lines of ${logFile}:\n${tailOf(logFile)}`,
        );
      }
      return "started";
    },
    down: () => stopByPidFile(pidFile, { name: "moto", host, ports: [port], graceMs: 5_000 }),
  };
};
