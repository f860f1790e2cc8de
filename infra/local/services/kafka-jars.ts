/**
 * The local broker's jars: resolved by Maven from the pinned POM into a cache outside git,
 * once per POM content, then reused by every start and every clone on the machine.
 *
 * @example
 * ```ts
 * const classpath = ensureKafkaJars(settings); // "<cache>/kafka-<hash>/lib/*"
 * ```
 */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ServiceStartError } from "./errors";
import { requireProgram } from "./process-control";
import type { ServiceSettings } from "./service-settings";

export const kafkaPomPath = (settings: ServiceSettings): string =>
  join(settings.projectRoot, "infra/local/kafka/pom.xml");

const jarDirectory = (settings: ServiceSettings): string => {
  const pom = readFileSync(kafkaPomPath(settings));
  const digest = createHash("sha256").update(pom).digest("hex").slice(0, 12);
  return join(settings.cacheDir, `kafka-${digest}`);
};

/** True when the jars for the current POM are already cached. */
export const kafkaJarsCached = (settings: ServiceSettings): boolean =>
  existsSync(join(jarDirectory(settings), "complete"));

/** Downloads the jars when missing and returns the Java classpath. */
export const ensureKafkaJars = (settings: ServiceSettings, log: (line: string) => void): string => {
  const directory = jarDirectory(settings);
  const classpath = join(directory, "lib", "*");
  if (kafkaJarsCached(settings)) return classpath;

  requireProgram("mvn", "-v", "apt-get install maven (Maven 3.8 or newer)");
  log(`Fetching Kafka jars with Maven into ${directory} (first run only)...`);
  const staging = `${directory}.partial`;
  rmSync(staging, { recursive: true, force: true });
  const result = spawnSync(
    "mvn",
    [
      "-B",
      "-q",
      "-f",
      kafkaPomPath(settings),
      "dependency:copy-dependencies",
      "-DincludeScope=runtime",
      `-DoutputDirectory=${join(staging, "lib")}`,
    ],
    { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] },
  );
  if (result.status !== 0) {
    throw new ServiceStartError(
      `Maven could not fetch the Kafka jars (exit ${result.status}):\n${result.stdout}${result.stderr}`,
    );
  }
  writeFileSync(join(staging, "complete"), `${new Date().toISOString()}\n`);
  rmSync(directory, { recursive: true, force: true });
  renameSync(staging, directory);
  return classpath;
};
