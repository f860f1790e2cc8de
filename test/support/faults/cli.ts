/**
 * `npm run faults -- <dynamodb|kafka> [options]`: runs one of the fault proxies by hand, in
 * front of the local services (or the ones `LOCAL_*` / `--upstream` name), prints the
 * endpoint to point the system at, and on Ctrl-C prints what it injected as JSON.
 *
 * ```sh
 * npm run faults -- dynamodb --kind TransactionConflict --rate 0.2 --operations TransactWriteItems
 * npm run faults -- dynamodb --conflicts --port 4567
 * npm run faults -- kafka --kind delay-response --api Produce --delay-ms 15000 --times 1
 * ```
 */
import { parseArgs } from "node:util";
import {
  localAwsEndpoint,
  localKafkaBrokers,
  readServiceSettings,
} from "../../../infra/local/services/service-settings";
import { DYNAMO_ERROR_KINDS } from "./dynamodb-errors";
import {
  type DynamoFaultKind,
  type DynamoFaultRule,
  startDynamoFaultProxy,
} from "./dynamodb-fault-proxy";
import { type KafkaApiName, type KafkaFaultRule, startKafkaFaultProxy } from "./kafka-fault-proxy";
import { KAFKA_API_KEYS } from "./kafka-protocol";

const USAGE = `Usage:
  npm run faults -- dynamodb [--kind K] [--rate R] [--operations A,B] [--tables T,U] [--times N]
                             [--latency-ms MS] [--after-forwarding] [--conflicts] [--seed N]
                             [--port P] [--upstream URL] [--report-every S]
      K: ${[...DYNAMO_ERROR_KINDS, "Latency", "Drop"].join(", ")}
  npm run faults -- kafka [--kind delay-response|cut-request|cut-response] [--api NAME]
                          [--delay-ms MS] [--times N] [--port P] [--upstream HOST:PORT]
                          [--report-every S]
      NAME: ${Object.keys(KAFKA_API_KEYS).join(", ")} (default Produce)`;

/** A command-line mistake: the usage is printed with it. */
class UsageError extends Error {
  override readonly name = "UsageError";
}

const options = {
  kind: { type: "string" },
  rate: { type: "string" },
  operations: { type: "string" },
  tables: { type: "string" },
  times: { type: "string" },
  "latency-ms": { type: "string" },
  "after-forwarding": { type: "boolean" },
  conflicts: { type: "boolean" },
  seed: { type: "string" },
  api: { type: "string" },
  "delay-ms": { type: "string" },
  port: { type: "string" },
  upstream: { type: "string" },
  "report-every": { type: "string" },
  help: { type: "boolean" },
} as const;

type Values = ReturnType<
  typeof parseArgs<{ options: typeof options; allowPositionals: true }>
>["values"];

const numberOf = (values: Values, name: keyof Values): number | undefined => {
  const text = values[name];
  if (text === undefined || typeof text === "boolean") return undefined;
  const value = Number(text);
  if (!Number.isFinite(value) || value < 0) throw new UsageError(`--${name} must be a number >= 0`);
  return value;
};

const oneOf = <T extends string>(value: string, allowed: readonly T[], name: string): T => {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new UsageError(`--${name} must be one of ${allowed.join(", ")}`);
};

const dynamoRule = (values: Values): DynamoFaultRule | undefined => {
  if (values.kind === undefined) return undefined;
  const kinds: readonly DynamoFaultKind[] = [...DYNAMO_ERROR_KINDS, "Latency", "Drop"];
  const rate = numberOf(values, "rate");
  if (rate !== undefined && rate > 1) throw new UsageError("--rate must be from 0 to 1");
  return {
    kind: oneOf(values.kind, kinds, "kind"),
    operations: values.operations?.split(",").map((operation) => operation.trim()),
    tables: values.tables?.split(",").map((table) => table.trim()),
    rate,
    times: numberOf(values, "times"),
    latencyMs: numberOf(values, "latency-ms"),
    afterForwarding: values["after-forwarding"],
  };
};

const kafkaRule = (values: Values): KafkaFaultRule | undefined => {
  if (values.kind === undefined) return undefined;
  const kinds: readonly KafkaFaultRule["kind"][] = [
    "delay-response",
    "cut-request",
    "cut-response",
  ];
  const apis = Object.keys(KAFKA_API_KEYS) as KafkaApiName[];
  return {
    kind: oneOf(values.kind, kinds, "kind"),
    api: oneOf(values.api ?? "Produce", apis, "api"),
    delayMs: numberOf(values, "delay-ms"),
    times: numberOf(values, "times"),
  };
};

/** Prints the counts now, every `seconds` if asked, and once more when stopped. */
const reportUntilStopped = (
  counts: () => unknown,
  close: () => Promise<void>,
  seconds?: number,
) => {
  const print = () => console.log(JSON.stringify({ counts: counts() }));
  const timer = seconds ? setInterval(print, seconds * 1000) : undefined;
  const stop = () => {
    clearInterval(timer);
    print();
    close().finally(() => process.exit(0));
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
};

const runDynamo = async (values: Values): Promise<void> => {
  const upstream = values.upstream ?? localAwsEndpoint(readServiceSettings(process.env));
  const rule = dynamoRule(values);
  const proxy = await startDynamoFaultProxy({
    upstream,
    port: numberOf(values, "port"),
    rules: rule === undefined ? [] : [rule],
    conflicts: values.conflicts,
    seed: numberOf(values, "seed"),
  });
  console.log(`dynamodb faults on ${proxy.endpoint} -> ${upstream}`);
  console.log(`rule: ${JSON.stringify(rule ?? null)}, conflict mode: ${values.conflicts === true}`);
  console.log(`counts: ${proxy.endpoint}/__faults/counts`);
  console.log(`AWS_ENDPOINT_URL=${proxy.endpoint}`);
  reportUntilStopped(proxy.counts, proxy.close, numberOf(values, "report-every"));
};

const runKafka = async (values: Values): Promise<void> => {
  const upstream = values.upstream ?? localKafkaBrokers(readServiceSettings(process.env));
  const rule = kafkaRule(values);
  const proxy = await startKafkaFaultProxy({
    upstream,
    port: numberOf(values, "port"),
    rules: rule === undefined ? [] : [rule],
  });
  console.log(`kafka faults on ${proxy.endpoint} -> ${upstream}`);
  console.log(`rule: ${JSON.stringify(rule ?? null)}`);
  console.log(`KAFKA_BROKERS=${proxy.endpoint}`);
  reportUntilStopped(proxy.counts, proxy.close, numberOf(values, "report-every"));
};

const main = async (): Promise<void> => {
  const { values, positionals } = parseArgs({ options, allowPositionals: true });
  if (values.help === true) {
    console.log(USAGE);
    return;
  }
  const [target] = positionals;
  if (target === "dynamodb") await runDynamo(values);
  else if (target === "kafka") await runKafka(values);
  else throw new UsageError("name the proxy: dynamodb or kafka");
};

main().catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  console.error(error instanceof UsageError ? `${message}\n\n${USAGE}` : message);
  process.exit(2);
});
