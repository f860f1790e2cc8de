/**
 * `npm run bench [-- --json]`: the Kafka consumer against a bare decode of its batch first (CPU
 * only, in a fresh process), then the whole local system's latency from an HTTP request to the
 * updated view (`--no-e2e` leaves it out), the outbox relay against raw kafkajs on the local
 * broker (started if needed), the bundles and the DynamoDB counts. `--only bundles` builds and
 * starts the functions' bundles alone, without the local services; `--only e2e` runs the local
 * system's latency alone; `--only dynamodb` counts the DynamoDB requests and write units of a
 * typical order alone. Prints figures; asserts nothing. Rerun to compare; figures vary with
 * the machine's load.
 */
import { localServices, servicesUp } from "../../infra/local/services/local-services";
import {
  localKafkaBrokers,
  readServiceSettings,
} from "../../infra/local/services/service-settings";
import { benchBundles, printBundles } from "./bundle-bench";
import { benchConsumer } from "./consumer-bench";
import { benchDynamodb, type DynamodbFigures } from "./dynamodb-bench";
import { benchEndToEnd, type E2eFigures } from "./e2e-bench";
import { e2eJson, printEndToEnd } from "./e2e-print";
import { benchRelay } from "./relay-bench";

const json = process.argv.includes("--json");
const e2e = !process.argv.includes("--no-e2e");
/** `--only bundles|e2e|dynamodb`: the one part to run, e.g. while cutting a bundle down. */
const onlyAt = process.argv.indexOf("--only");
const only = onlyAt === -1 ? undefined : process.argv[onlyAt + 1];
if (onlyAt !== -1 && only !== "bundles" && only !== "e2e" && only !== "dynamodb") {
  throw new Error(`--only takes "bundles", "e2e" or "dynamodb", not ${JSON.stringify(only)}`);
}
const E2E_LOADS = [
  { clients: 1, ordersEach: 40 },
  { clients: 16, ordersEach: 10 },
] as const;
const RELAY_ROUNDS = 7;
const CONSUMER_ROUNDS = 15;
const BUNDLE_ROUNDS = 5;

const benchBundlesOnly = async () => {
  const bundles = await benchBundles({ rounds: BUNDLE_ROUNDS });
  if (json) console.log(JSON.stringify({ bundles: bundles.result }));
  else printBundles(bundles, BUNDLE_ROUNDS, console.log);
};

/** The local system alone, from an HTTP request to the view (services already started). */
const benchEndToEndOnly = async () => {
  const endToEnd = await benchEndToEnd(E2E_LOADS);
  if (json) console.log(JSON.stringify(e2eJson(endToEnd)));
  else for (const figures of endToEnd) printEndToEnd(figures, console.log);
};

/** The DynamoDB figures alone (services already started). */
const benchDynamodbOnly = async () => {
  const dynamodb = await benchDynamodb();
  if (json) console.log(JSON.stringify({ dynamodb }));
  else printDynamodb(dynamodb);
};

const main = async () => {
  if (only === "bundles") return benchBundlesOnly();
  const settings = readServiceSettings(process.env);
  await servicesUp(localServices(settings), (line) => {
    if (!json) console.log(line);
  });
  if (only === "e2e") return benchEndToEndOnly();
  if (only === "dynamodb") return benchDynamodbOnly();
  // The consumer first, in a process nothing else has run in: it is CPU alone (no broker, no
  // table), and after the local system had run in this process it ran a fifth to a third slower.
  const consumer = await benchConsumer({ records: 10_000, rounds: CONSUMER_ROUNDS });
  // Then the whole system, on a broker and a moto the other parts have not loaded yet: the
  // relay's part leaves 80,000 records and a deleted topic, which the broker removes a minute later.
  const endToEnd: E2eFigures[] = e2e ? await benchEndToEnd(E2E_LOADS) : [];
  const relay = await benchRelay({
    brokers: [localKafkaBrokers(settings)],
    records: 10_000,
    rounds: RELAY_ROUNDS,
  });
  const bundles = await benchBundles({ rounds: BUNDLE_ROUNDS });
  const dynamodb = await benchDynamodb();
  if (json) {
    console.log(
      JSON.stringify({
        ...relay,
        ...consumer,
        ...e2eJson(endToEnd),
        bundles: bundles.result,
        dynamodb,
      }),
    );
    return;
  }
  printComponents(relay, consumer);
  printBundles(bundles, BUNDLE_ROUNDS, console.log);
  printDynamodb(dynamodb);
  for (const figures of endToEnd) printEndToEnd(figures, console.log);
};

const printComponents = (
  relay: Awaited<ReturnType<typeof benchRelay>>,
  consumer: Awaited<ReturnType<typeof benchConsumer>>,
) => {
  console.log(`relay: ${relay.records} outbox records in batches of ${relay.batchSize}`);
  console.log(`  relay          ${relay.relay_records_per_s.toLocaleString("en-US")} records/s`);
  console.log(
    `  raw sendBatch  ${relay.raw_producer_records_per_s.toLocaleString("en-US")} records/s`,
  );
  console.log(
    `  ratio          ${relay.relay_ratio} (median of ${RELAY_ROUNDS} rounds, range ${relay.relay_ratio_range.join("-")}; goal >= 0.9)`,
  );
  console.log(
    `consumer: one MSK batch of ${consumer.consumer_batch_records} records, no-op effect`,
  );
  console.log(
    `  consumer       ${consumer.consumer_records_per_s.toLocaleString("en-US")} records/s (floor 50,000)`,
  );
  console.log(
    `  bare decode    ${consumer.bare_decode_records_per_s.toLocaleString("en-US")} records/s (base64 + JSON.parse)`,
  );
  console.log(
    `  ratio          ${consumer.consumer_ratio} (consumer / bare decode, median of ${CONSUMER_ROUNDS} rounds, range ${consumer.consumer_ratio_range.join("-")})`,
  );
  console.log(
    `  validated      ${consumer.validated_decode_records_per_s.toLocaleString("en-US")} records/s (bare decode + zod contract)`,
  );
};

const printDynamodb = (figures: DynamodbFigures) => {
  const byFunction = figures.requests_per_command_by_function;
  console.log(
    "dynamodb: a typical order's commands through the orders API, their events through the read-model writer, on moto",
  );
  console.log(
    `  requests       ${figures.requests_per_command} per command (orders-api ${byFunction["orders-api"]}, consumers ${byFunction.consumers}; relay ${figures.relay_requests}; counted by the clients)`,
  );
  for (const { command, by_function: parts } of figures.commands) {
    const list = (counts: Readonly<Record<string, number>>) =>
      Object.entries(counts)
        .map(([operation, n]) => `${operation} ${n}`)
        .join(", ") || "none";
    console.log(
      `    ${command.padEnd(34)} orders-api: ${list(parts["orders-api"])}; consumers: ${list(parts.consumers)}`,
    );
  }
  console.log(
    `  write units    ${figures.write_units_per_event} per applied event (goal <= 4; item sizes, 2 per KB per item), ${figures.items_per_transaction} items per transaction`,
  );
};

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
