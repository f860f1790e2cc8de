/**
 * `npm run setup`: every download `npm start` and `npm test` would do on their first run, done
 * ahead of time, each step saying what it did and how long it took: the Node modules with the
 * project's Node (its `presetup`, `ensure-node-modules.sh`), the Kafka broker's jars, the
 * Python tools in `.local/python` (moto, cfn-lint, checkov) and, when the browser tests'
 * installer is there, a Chromium. Idempotent: a second run finds everything present, quickly.
 *
 * @example
 * ```sh
 * npm run setup
 * ```
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { ensureKafkaJars, kafkaJarsCached, kafkaJarsDirectory } from "./services/kafka-jars";
import { ensurePythonTools } from "./services/python-tools";
import { runScript } from "./services/script-run";
import { readServiceSettings, type ServiceSettings } from "./services/service-settings";
import { SetupRun, type SetupStep } from "./setup-run";

/** The Kafka broker's jars, in the machine's download cache. */
const kafkaJarsStep = (settings: ServiceSettings): SetupStep => ({
  name: "kafka jars",
  async run(log) {
    if (kafkaJarsCached(settings)) {
      log(`already present in ${kafkaJarsDirectory(settings)}`);
      return "already present";
    }
    await ensureKafkaJars(settings, log);
    return "installed";
  },
});

/** moto, cfn-lint and checkov, in the project's virtual environment. */
const pythonToolsStep = (settings: ServiceSettings): SetupStep => ({
  name: "python tools",
  async run(log) {
    let present = false;
    await ensurePythonTools(
      settings.projectRoot,
      (line) => {
        present ||= line.includes("already present");
        log(line);
      },
      { report: true },
    );
    return present ? "already present" : "installed";
  },
});

/** A Chromium for the browser tests, when this checkout has their installer. */
const browserStep = (settings: ServiceSettings, script: string): SetupStep => ({
  name: "chromium",
  async run(log) {
    const lines: string[] = [];
    const outcome = await runScript(script, [], settings.projectRoot, (line) => {
      lines.push(line);
      log(line);
    });
    for (const line of outcome.errors) log(line);
    if (lines.length === 0) {
      log("already present");
      return "already present";
    }
    return lines.some((line) => /skipped|Could not/.test(line)) ? "skipped" : "installed";
  },
});

const main = async (): Promise<void> => {
  const settings = readServiceSettings(process.env);
  const run = new SetupRun((line) => console.log(line));
  const browserScript = join(settings.projectRoot, "infra/local/ensure-browser.sh");
  const steps = [
    kafkaJarsStep(settings),
    pythonToolsStep(settings),
    ...(existsSync(browserScript) ? [browserStep(settings, browserScript)] : []),
  ];
  for (const step of steps) await run.step(step);
  for (const line of run.summary()) console.log(line);
};

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
