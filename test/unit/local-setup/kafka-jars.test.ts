/**
 * The Kafka jars' first fetch says what it installed, where and how long it took, and a failed
 * fetch says why. Maven is a stand-in here (a script named `mvn` first on PATH that prints
 * Maven's transfer lines), so no test downloads 56 MB; the real fetch runs in CI's fresh clone.
 */
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ensureKafkaJars, kafkaJarsCached } from "../../../infra/local/services/kafka-jars";
import { readServiceSettings } from "../../../infra/local/services/service-settings";

/** A `mvn` that answers `-v`, then prints `output` and writes one 2,000-byte jar, or fails. */
const fakeMaven = (directory: string, output: string, exitCode: number): void => {
  const script = `#!/usr/bin/env bash
[ "$1" = -v ] && exit 0
for arg in "$@"; do case $arg in -DoutputDirectory=*) out=\${arg#-DoutputDirectory=} ;; esac; done
cat <<'OUTPUT'
${output}
OUTPUT
[ ${exitCode} = 0 ] || exit ${exitCode}
mkdir -p "$out" && head -c 2000 /dev/zero > "$out/kafka_2.13-4.1.2.jar"
`;
  writeFileSync(join(directory, "mvn"), script);
  chmodSync(join(directory, "mvn"), 0o755);
};

describe("ensureKafkaJars", () => {
  let scratch = "";
  let originalPath: string | undefined;

  beforeEach(() => {
    scratch = mkdtempSync(join(tmpdir(), "kafka-jars-test-"));
    originalPath = process.env.PATH;
    process.env.PATH = `${scratch}:${originalPath ?? ""}`;
  });
  afterEach(() => {
    process.env.PATH = originalPath;
    rmSync(scratch, { recursive: true, force: true });
  });

  it("installs the jars into the cache and says what, where and how much Maven downloaded", async () => {
    // Prepare
    fakeMaven(
      scratch,
      "[INFO] Downloaded from central: https://repo.maven.apache.org/maven2/k/kafka_2.13-4.1.2.jar (6.5 MB at 3.1 MB/s)",
      0,
    );
    const settings = readServiceSettings({ LOCAL_CACHE_DIR: join(scratch, "cache") });
    const lines: string[] = [];

    // Act
    const classpath = await ensureKafkaJars(settings, (line) => lines.push(line));

    // Assess
    expect(kafkaJarsCached(settings)).toBe(true);
    expect(existsSync(classpath.replace("*", "kafka_2.13-4.1.2.jar"))).toBe(true);
    expect(lines[0]).toMatch(/^Fetching the Kafka broker's jars with Maven into .*cache\/kafka-/);
    expect(lines.at(-1)).toMatch(
      /^Kafka jars: installed 1 jars \(2 kB\) into .*cache\/kafka-\w+ in \d+ s \(Maven downloaded 6\.5 MB in 1 files\)$/,
    );
  });

  it("does nothing and says nothing when the jars are cached", async () => {
    // Prepare
    fakeMaven(scratch, "", 0);
    const settings = readServiceSettings({ LOCAL_CACHE_DIR: join(scratch, "cache") });
    await ensureKafkaJars(settings, () => {});
    const lines: string[] = [];

    // Act
    await ensureKafkaJars(settings, (line) => lines.push(line));

    // Assess
    expect(lines).toEqual([]);
  });

  it("fails with Maven's errors and caches nothing when Maven fails", async () => {
    // Prepare
    fakeMaven(
      scratch,
      "[INFO] Scanning for projects...\n[ERROR] Failed to execute goal: Could not resolve dependencies\n[ERROR] -> [Help 1]",
      1,
    );
    const settings = readServiceSettings({ LOCAL_CACHE_DIR: join(scratch, "cache") });

    // Act
    const fetching = ensureKafkaJars(settings, () => {});

    // Assess
    await expect(fetching).rejects.toThrow(
      "Maven could not fetch the Kafka jars (exit 1):\n[ERROR] Failed to execute goal: Could not resolve dependencies\n[ERROR] -> [Help 1]",
    );
    expect(kafkaJarsCached(settings)).toBe(false);
  });
});
