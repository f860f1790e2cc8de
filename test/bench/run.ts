/**
 * `npm run bench [-- --json]`: component benchmarks on the local broker (started if needed).
 * Prints figures; asserts nothing. Rerun to compare; figures vary with the machine's load.
 */
import { localServices, servicesUp } from "../../infra/local/services/local-services";
import {
  localKafkaBrokers,
  readServiceSettings,
} from "../../infra/local/services/service-settings";
import { benchRelay } from "./relay-bench";

const json = process.argv.includes("--json");

const main = async () => {
  const settings = readServiceSettings(process.env);
  await servicesUp(localServices(settings), (line) => {
    if (!json) console.log(line);
  });
  const relay = await benchRelay({
    brokers: [localKafkaBrokers(settings)],
    records: 10_000,
    rounds: 3,
  });
  if (json) {
    console.log(JSON.stringify(relay));
    return;
  }
  console.log(`relay: ${relay.records} outbox records in batches of ${relay.batchSize}`);
  console.log(`  relay          ${relay.relay_records_per_s.toLocaleString("en-US")} records/s`);
  console.log(
    `  raw sendBatch  ${relay.raw_producer_records_per_s.toLocaleString("en-US")} records/s`,
  );
  console.log(`  ratio          ${relay.relay_ratio} (goal >= 0.9)`);
};

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
