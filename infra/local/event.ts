/**
 * `npm run event -- <kind> [target] [options]`: prints a Lambda-shaped sample event for a
 * trigger or route of the wiring, ready for `npm run invoke`. See docs/developer-tools.md.
 */
import { systemWiring } from "../wiring/system-wiring";
import { exitQuietlyWhenStdoutCloses } from "./dev-tools/closed-stdout";
import { runEventCommand } from "./dev-tools/event-cli";
import { localKafkaBrokers, readServiceSettings } from "./services/service-settings";

exitQuietlyWhenStdoutCloses();

const services = readServiceSettings(process.env);
process.exitCode = runEventCommand(
  process.argv.slice(2),
  systemWiring,
  {
    root: services.projectRoot,
    region: process.env.AWS_REGION ?? "us-east-1",
    bootstrapServers: process.env.KAFKA_BROKERS ?? localKafkaBrokers(services),
  },
  { out: (text) => process.stdout.write(text), err: (text) => process.stderr.write(text) },
);
