/**
 * `npm run lag [-- --json]`: how far every event source mapping of the wiring is behind
 * (`docs/developer-tools.md`, "npm run lag"). Per Kafka mapping its consumer group's
 * committed offset, the end offset and the lag of each partition, and the total; per
 * DynamoDB stream mapping the local runtime's checkpoint of each shard and whether it is at
 * the end. It finds the system with the same variables as `npm start` (`KAFKA_BROKERS` with
 * `KAFKA_AUTH=iam` and `AWS_REGION` for MSK). Exit codes: 0 read, 1 a service did not
 * answer (the broker: nothing is printed; DynamoDB: the Kafka mappings are) or a stream
 * shard could not be read (the rest is printed), 2 bad usage.
 *
 * @example
 * ```sh
 * npm run lag
 * npm run -s lag -- --json | jq 'select(.kind == "kafka") | .totalLag'
 * ```
 */
import { parseArgs } from "node:util";
import { Kafka, logLevel } from "kafkajs";
import { describeError } from "../../shared/errors";
import { kafkaClientConfig } from "../../shared/kafka/kafka-client-config";
import { systemWiring } from "../wiring/system-wiring";
import { KafkaUnreachableError } from "./demo/kafka-observer";
import { exitQuietlyWhenStdoutCloses } from "./dev-tools/closed-stdout";
import {
  DynamoDbUnreachableError,
  formatLagTable,
  lagKafkaSettings,
  readLag,
  streamCheckpointsFile,
} from "./dev-tools/lag-report";
import { readRuntimeSettings } from "./runtime/runtime-settings";
import { ServiceClients } from "./runtime/service-clients";
import { readServiceSettings } from "./services/service-settings";

exitQuietlyWhenStdoutCloses();

const USAGE = "usage: npm run lag [-- --json]";

const main = async (args: readonly string[]): Promise<number> => {
  if (args.includes("--help") || args.includes("-h")) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  let json = false;
  try {
    json =
      parseArgs({ args: [...args], options: { json: { type: "boolean" } }, strict: true }).values
        .json === true;
  } catch (error) {
    process.stderr.write(`${describeError(error).message}\n${USAGE}\n`);
    return 2;
  }
  const services = readServiceSettings(process.env);
  const runtime = readRuntimeSettings(process.env, services);
  const kafka = new Kafka(
    kafkaClientConfig(lagKafkaSettings(runtime), { logLevel: logLevel.NOTHING }),
  );
  const clients = new ServiceClients(runtime);
  try {
    const report = await readLag({
      wiring: systemWiring,
      kafka,
      brokers: runtime.kafkaBrokers,
      dynamodb: clients.dynamodb,
      streams: clients.streams,
      checkpointsFile: streamCheckpointsFile(services.stateDir),
    });
    process.stdout.write(
      json
        ? report.mappings.map((mapping) => `${JSON.stringify(mapping)}\n`).join("")
        : formatLagTable(report),
    );
    for (const problem of report.problems) process.stderr.write(`${problem}\n`);
    return report.problems.length === 0 ? 0 : 1;
  } finally {
    clients.destroy();
  }
};

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    const known =
      error instanceof KafkaUnreachableError || error instanceof DynamoDbUnreachableError;
    const { errorClass, message } = describeError(error);
    process.stderr.write(`${known ? message : `${errorClass}: ${message}`}\n`);
    process.exitCode = 1;
  },
);
