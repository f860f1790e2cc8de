/**
 * Ctrl-C while `npm start` is still starting (`infra/local/start-shutdown.ts`): the broker
 * and moto it was starting are stopped, not left running detached. A real `npm start` with
 * its own ports and state folder, so it starts a broker and a moto of its own; Ctrl-C is a
 * SIGINT to its whole process group, as a terminal sends it, once both services' processes
 * run and before the broker answers.
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { localServices, servicesDown } from "../../infra/local/services/local-services";
import { isPortOpen, waitUntil } from "../../infra/local/services/process-control";
import { readServiceSettings } from "../../infra/local/services/service-settings";
import { privateStartEnvironment } from "../support/private-start";

const ROOT = resolve(import.meta.dirname, "../..");

describe("npm start, interrupted while it starts", () => {
  it("stops the broker and moto it was starting on Ctrl-C", async (test) => {
    // Prepare
    const stateDir = await mkdtemp(join(tmpdir(), "start-interrupted-"));
    const env = await privateStartEnvironment(stateDir);
    const settings = readServiceSettings(env);
    test.onTestFinished(async () => {
      // Also when the test fails: none of this run's services stays behind.
      await servicesDown(localServices(settings));
      await rm(stateDir, { recursive: true, force: true });
    });
    const start = spawn("npm", ["start"], {
      cwd: ROOT,
      env,
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    start.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    start.stderr.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    const spawned = await waitUntil(
      async () =>
        existsSync(join(stateDir, "kafka", "kafka.pid")) &&
        existsSync(join(stateDir, "moto", "moto.pid")),
      60_000,
      50,
    );
    expect(spawned, `npm start did not start both services; output:\n${output}`).toBe(true);

    // Act
    const group = start.pid;
    if (group === undefined) throw new Error("npm start has no pid");
    test.onTestFinished(() => {
      try {
        process.kill(-group, "SIGKILL");
      } catch {
        // Already gone.
      }
    });
    process.kill(-group, "SIGINT");
    // npm itself may exit first; `npm start` says `stopped` once its services are down.
    await waitUntil(async () => /^stopped$/m.test(output), 30_000, 100);

    // Assess: it stopped before it was ready, and left nothing running
    expect(output).toContain("SIGINT: stopping the local runtime...");
    expect(output).toMatch(/^stopped$/m);
    expect(output).not.toContain("ready in");
    // The broker never answered: the Ctrl-C came while it was starting.
    expect(output).not.toMatch(/kafka\s+started/);
    const statuses = await Promise.all(localServices(settings).map((service) => service.status()));
    expect(statuses).toEqual([{ state: "stopped" }, { state: "stopped" }]);
    await expect(isPortOpen("127.0.0.1", settings.kafka.port)).resolves.toBe(false);
    await expect(isPortOpen("127.0.0.1", settings.moto.port)).resolves.toBe(false);
  }, 120_000);
});
