import { describe, expect, it } from "vitest";
import {
  DownloadProgress,
  formatBytes,
  formatElapsed,
} from "../../../infra/local/services/download-progress";

/** Lines as Maven 3.8 prints them in batch mode (`mvn -B`), with the transfers it logs. */
const MAVEN_OUTPUT = [
  "[INFO] Scanning for projects...",
  "[INFO] Downloading from central: https://repo.maven.apache.org/maven2/org/apache/kafka/kafka_2.13/4.1.2/kafka_2.13-4.1.2.pom",
  "[INFO] Downloaded from central: https://repo.maven.apache.org/maven2/org/apache/kafka/kafka_2.13/4.1.2/kafka_2.13-4.1.2.pom (3.2 kB at 12 kB/s)",
  "[INFO] Downloaded from central: https://repo.maven.apache.org/maven2/org/apache/kafka/kafka_2.13/4.1.2/kafka_2.13-4.1.2.jar (6.5 MB at 3.1 MB/s)",
  "[INFO] Downloaded from central: https://repo.maven.apache.org/maven2/org/slf4j/slf4j-api/2.0.17/slf4j-api-2.0.17.pom.sha1 (40 B at 1.1 kB/s)",
  "[INFO] Copying kafka_2.13-4.1.2.jar to /cache/kafka-abc.partial/lib/kafka_2.13-4.1.2.jar",
  "[INFO] BUILD SUCCESS",
];

describe("DownloadProgress", () => {
  it("counts the files and bytes of Maven's finished transfers, nothing else", () => {
    // Prepare
    const progress = new DownloadProgress();

    // Act
    for (const line of MAVEN_OUTPUT) progress.read(line);

    // Assess
    expect(progress.files).toBe(3);
    expect(progress.bytes).toBe(3_200 + 6_500_000 + 40);
    expect(progress.line(23_400)).toBe("23 s, 6.5 MB in 3 files");
  });

  it("says nothing was fetched before the first transfer ends", () => {
    // Prepare
    const progress = new DownloadProgress();

    // Act
    progress.read(MAVEN_OUTPUT[1] ?? "");

    // Assess
    expect(progress.line(5_000)).toBe("5 s, 0 B in 0 files");
  });
});

describe("formatBytes and formatElapsed", () => {
  it.each([
    [539, "539 B"],
    [12_345, "12 kB"],
    [6_543_210, "6.5 MB"],
    [56_400_000, "56 MB"],
  ])("writes %i bytes as %s", (bytes, text) => {
    // Assess
    expect(formatBytes(bytes)).toBe(text);
  });

  it.each([
    [400, "0 s"],
    [41_200, "41 s"],
    [65_000, "1 min 05 s"],
    [612_000, "10 min 12 s"],
  ])("writes %i ms as %s", (milliseconds, text) => {
    // Assess
    expect(formatElapsed(milliseconds)).toBe(text);
  });
});
