/**
 * The local broker's jars: resolved by Maven from the pinned POM into a cache outside git,
 * once per POM content, then reused by every start and every clone on the machine.
 *
 * @example
 * ```ts
 * const classpath = await ensureKafkaJars(settings, console.log); // "<cache>/kafka-<hash>/lib/*"
 * ```
 */
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import {
  existsSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { DownloadProgress, formatBytes, formatElapsed } from "./download-progress";
import { ServiceStartError } from "./errors";
import { requireProgram } from "./process-control";
import type { ServiceSettings } from "./service-settings";

/** How often a progress line is logged while Maven runs. */
const PROGRESS_EVERY_MS = 5_000;
/** Maven's last lines, kept to show what went wrong when it fails. */
const MAVEN_TAIL_LINES = 60;

export const kafkaPomPath = (settings: ServiceSettings): string =>
  join(settings.projectRoot, "infra/local/kafka/pom.xml");

/** Where the jars of the current POM are cached: `<cache>/kafka-<hash of the POM>`. */
export const kafkaJarsDirectory = (settings: ServiceSettings): string => {
  const pom = readFileSync(kafkaPomPath(settings));
  const digest = createHash("sha256").update(pom).digest("hex").slice(0, 12);
  return join(settings.cacheDir, `kafka-${digest}`);
};

/** True when the jars for the current POM are already cached. */
export const kafkaJarsCached = (settings: ServiceSettings): boolean =>
  existsSync(join(kafkaJarsDirectory(settings), "complete"));

/** Sum of the sizes of the files in `directory`, and their count. */
const directorySize = (directory: string): { readonly files: number; readonly bytes: number } => {
  const names = readdirSync(directory);
  const bytes = names.reduce((sum, name) => sum + statSync(join(directory, name)).size, 0);
  return { files: names.length, bytes };
};

/**
 * Runs Maven, reading its output to log a progress line every few seconds (elapsed time,
 * what it downloaded so far); resolves with the progress at the end, or rejects with Maven's
 * errors.
 */
const runMaven = (
  args: readonly string[],
  log: (line: string) => void,
  startedAt: number,
): Promise<DownloadProgress> =>
  new Promise((resolvePromise, reject) => {
    const progress = new DownloadProgress();
    const tail: string[] = [];
    const child = spawn("mvn", [...args], { stdio: ["ignore", "pipe", "pipe"] });
    const take = (line: string): void => {
      progress.read(line);
      tail.push(line);
      if (tail.length > MAVEN_TAIL_LINES) tail.shift();
    };
    createInterface({ input: child.stdout }).on("line", take);
    createInterface({ input: child.stderr }).on("line", take);
    const ticker = setInterval(
      () => log(`still fetching: ${progress.line(Date.now() - startedAt)}`),
      PROGRESS_EVERY_MS,
    );
    child.on("error", (error) => {
      clearInterval(ticker);
      reject(new ServiceStartError(`Maven did not run: ${error.message}`));
    });
    child.on("close", (code) => {
      clearInterval(ticker);
      if (code === 0) resolvePromise(progress);
      else {
        const errors = tail.filter((line) => line.startsWith("[ERROR]"));
        const shown = (errors.length > 0 ? errors : tail).join("\n");
        reject(
          new ServiceStartError(`Maven could not fetch the Kafka jars (exit ${code}):\n${shown}`),
        );
      }
    });
  });

/**
 * Downloads the jars when missing, saying what it does (a progress line every few seconds,
 * then what was installed where and how long it took), and returns the Java classpath.
 */
export const ensureKafkaJars = async (
  settings: ServiceSettings,
  log: (line: string) => void,
): Promise<string> => {
  const directory = kafkaJarsDirectory(settings);
  const classpath = join(directory, "lib", "*");
  if (kafkaJarsCached(settings)) return classpath;

  requireProgram("mvn", "-v", "apt-get install maven (Maven 3.8 or newer)");
  log(
    `Fetching the Kafka broker's jars with Maven into ${directory} (first run only, about 50 MB)...`,
  );
  const startedAt = Date.now();
  const staging = `${directory}.partial`;
  rmSync(staging, { recursive: true, force: true });
  const progress = await runMaven(
    [
      "-B",
      "-f",
      kafkaPomPath(settings),
      "dependency:copy-dependencies",
      "-DincludeScope=runtime",
      `-DoutputDirectory=${join(staging, "lib")}`,
    ],
    log,
    startedAt,
  );
  writeFileSync(join(staging, "complete"), `${new Date().toISOString()}\n`);
  rmSync(directory, { recursive: true, force: true });
  renameSync(staging, directory);
  const jars = directorySize(join(directory, "lib"));
  const downloaded =
    progress.files === 0
      ? "all from Maven's local repository"
      : `Maven downloaded ${formatBytes(progress.bytes)} in ${progress.files} files`;
  log(
    `Kafka jars: installed ${jars.files} jars (${formatBytes(jars.bytes)}) into ${directory} in ${formatElapsed(Date.now() - startedAt)} (${downloaded})`,
  );
  return classpath;
};
