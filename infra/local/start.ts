/**
 * `npm start`: the whole local system. For now it brings up the local services and says
 * what is still missing; the local runtime (functions, event source mappings, HTTP API)
 * comes next.
 */
import { describeUp, localServices, servicesUp } from "./services/local-services";
import { readServiceSettings } from "./services/service-settings";

const main = async (): Promise<void> => {
  const settings = readServiceSettings(process.env);
  const reports = await servicesUp(localServices(settings), (line) => console.log(line));
  for (const report of reports) console.log(describeUp(report));
  console.log(`Node ${process.version}; logs in ${settings.logDir}`);
  console.log(
    "The local runtime (functions, event source mappings, HTTP API) is not there yet: only the services are up. Stop them with `npm run services:down`.",
  );
};

main().catch((error: unknown) => {
  console.error(error instanceof Error ? `${error.name}: ${error.message}` : error);
  process.exitCode = 1;
});
