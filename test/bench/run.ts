/**
 * `npm run bench [-- --json]`: component benchmarks on the local broker (started if needed):
 * the outbox relay against raw kafkajs, the Kafka consumer against a bare decode of its batch.
 * Prints figures; asserts nothing. Rerun to compare; figures vary with the machine's load.
 */
import { localServices, servicesUp } from "../../infra/local/services/local-services";
import {
  localKafkaBrokers,
  readServiceSettings,
} from "../../infra/local/services/service-settings";
import { benchConsumer } from "./consumer-bench";
import { benchRelay } from "./relay-bench";

const json = process.argv.includes("--json");
const RELAY_ROUNDS = 7;
const CONSUMER_ROUNDS = 15;

const main = async () => {
  const settings = readServiceSettings(process.env);
  await servicesUp(localServices(settings), (line) => {
    if (!json) console.log(line);
  });
  const relay = await benchRelay({
    brokers: [localKafkaBrokers(settings)],
    records: 10_000,
    rounds: RELAY_ROUNDS,
  });
  const consumer = await benchConsumer({ records: 10_000, rounds: CONSUMER_ROUNDS });
  if (json) {
    console.log(JSON.stringify({ ...relay, ...consumer }));
    return;
  }
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

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
