/**
 * The whole system on one machine, built from the one declaration of the wiring: the
 * declared topics, tables and buckets; one host per function; one local event source mapping
 * per trigger; the HTTP API for the declared routes. `stop()` takes it down in reverse order,
 * letting invocations in flight finish and committing nothing unfinished.
 *
 * @example
 * ```ts
 * const runtime = await startLocalRuntime({ wiring: systemWiring, settings, services, log: console.log });
 * console.log(runtime.httpUrl);
 * await runtime.stop();
 * ```
 */
import { join, resolve } from "node:path";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBStreamsClient } from "@aws-sdk/client-dynamodb-streams";
import { S3Client } from "@aws-sdk/client-s3";
import { Kafka, logLevel } from "kafkajs";
import type { SystemWiring } from "../../wiring/types";
import { ensureTable } from "../aws/dynamodb-tables";
import { ensureBucket } from "../aws/s3-buckets";
import { ensureTopics } from "../kafka-topics";
import type { ServiceSettings } from "../services/service-settings";
import { localFunctionEnvironment } from "./function-environment";
import { createFunctionHost, type FunctionHost } from "./function-host";
import { type HttpApi, startHttpApi } from "./http-api-server";
import { createKafkaEventSource } from "./kafka-event-source";
import type { RuntimeSettings } from "./runtime-settings";
import { fileCheckpoints } from "./stream-checkpoints";
import { createStreamEventSource } from "./stream-event-source";

export interface LocalRuntime {
  readonly httpUrl: string | undefined;
  readonly functions: readonly string[];
  readonly functionLogDir: string;
  stop(): Promise<void>;
}

interface Stoppable {
  stop(): Promise<void>;
}

export const startLocalRuntime = async (options: {
  readonly wiring: SystemWiring;
  readonly settings: RuntimeSettings;
  readonly services: ServiceSettings;
  readonly log: (line: string) => void;
}): Promise<LocalRuntime> => {
  const { wiring, settings, services, log } = options;
  const awsConfig = {
    region: settings.region,
    ...(settings.awsEndpoint === undefined ? {} : { endpoint: settings.awsEndpoint }),
    ...(settings.usesLocalAws
      ? { credentials: { accessKeyId: "local", secretAccessKey: "local" } }
      : {}),
  };
  const dynamodb = new DynamoDBClient(awsConfig);
  const streams = new DynamoDBStreamsClient(awsConfig);
  const s3 = new S3Client({ ...awsConfig, forcePathStyle: settings.usesLocalAws });
  const kafka = new Kafka({
    clientId: "local-runtime",
    brokers: settings.kafkaBrokers.split(","),
    logLevel: logLevel.NOTHING,
  });
  const stoppables: Stoppable[] = [];
  const stop = async () => {
    for (const stoppable of stoppables.reverse()) await stoppable.stop();
    dynamodb.destroy();
    streams.destroy();
    s3.destroy();
  };

  try {
    // Resources first, from the declaration.
    const created = await ensureTopics(kafka, wiring.topics);
    if (created.length > 0) log(`created topics ${created.join(", ")}`);
    const streamArns = new Map<string, string | undefined>();
    for (const table of wiring.tables) {
      streamArns.set(table.name, (await ensureTable(dynamodb, table, table.name)).streamArn);
    }
    for (const bucket of wiring.buckets) await ensureBucket(s3, bucket);

    // One host per function, loaded from the entry file CDK bundles.
    const functionLogDir = join(services.logDir, "functions");
    const hosts = new Map<string, FunctionHost>();
    for (const declaration of wiring.functions) {
      const host = createFunctionHost({
        name: declaration.name,
        entry: resolve(services.projectRoot, declaration.entry),
        environment: localFunctionEnvironment(declaration, settings, {
          tableName: (name) => name,
          bucketName: (name) => name,
        }),
        timeoutSeconds: declaration.timeoutSeconds,
        memoryMb: declaration.memoryMb,
        maxConcurrency: declaration.routes === undefined ? 1 : 4,
        logFile: join(functionLogDir, `${declaration.name}.log`),
      });
      hosts.set(declaration.name, host);
      stoppables.push(host);
    }

    // The triggers. One checkpoint file for every stream mapping, written by one store.
    const checkpoints = fileCheckpoints(
      join(services.stateDir, "runtime", "stream-checkpoints.json"),
    );
    for (const declaration of wiring.functions) {
      const trigger = declaration.trigger;
      const host = hosts.get(declaration.name);
      if (trigger === undefined || host === undefined) continue;
      if (trigger.kind === "kafka") {
        const source = createKafkaEventSource({
          functionName: declaration.name,
          trigger,
          kafka,
          bootstrapServers: settings.kafkaBrokers,
          region: settings.region,
          invoke: host.invoke,
          log,
        });
        await source.start();
        stoppables.push(source);
      } else {
        const streamArn = streamArns.get(trigger.table);
        if (streamArn === undefined)
          throw new Error(`table ${trigger.table} has no stream for ${declaration.name}`);
        const source = createStreamEventSource({
          functionName: declaration.name,
          trigger,
          streamArn,
          streams,
          s3,
          onFailureBucket: trigger.onFailure.bucket,
          region: settings.region,
          checkpoints,
          invoke: host.invoke,
          log,
        });
        await source.start();
        stoppables.push(source);
      }
    }

    // The HTTP API, last: requests arrive only once everything behind them runs.
    const routes = wiring.functions.flatMap((declaration) =>
      (declaration.routes ?? []).map((route) => ({ ...route, target: declaration.name })),
    );
    let api: HttpApi | undefined;
    if (routes.length > 0) {
      api = await startHttpApi({
        port: settings.httpPort,
        routes,
        log,
        invoke: (target, event) => {
          const host = hosts.get(target);
          if (host === undefined) throw new Error(`no function ${target}`);
          return host.invoke(event);
        },
      });
      stoppables.push({ stop: () => (api as HttpApi).close() });
    }
    return {
      httpUrl: api?.url,
      functions: [...hosts.keys()],
      functionLogDir,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
};
