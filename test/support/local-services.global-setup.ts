/**
 * Vitest global setup of the integration and e2e groups: the real Kafka broker and moto are
 * brought up (or reused) before any test runs, and left running for the next run.
 */
import { describeUp, localServices, servicesUp } from "../../infra/local/services/local-services";
import { readServiceSettings } from "../../infra/local/services/service-settings";

export default async function setup(): Promise<void> {
  const reports = await servicesUp(localServices(readServiceSettings(process.env)), (line) =>
    console.log(line),
  );
  for (const report of reports) console.log(describeUp(report));
}
