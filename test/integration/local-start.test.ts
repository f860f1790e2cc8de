/**
 * Ctrl-C while `npm start` (`infra/local/start-shutdown.ts`) or `npm run services:up` is
 * still starting the services: the broker and moto it was starting are stopped, not left
 * running detached. Each command runs for real, with ports and a state folder of its own,
 * so it starts a broker and a moto of its own. Ctrl-C is a SIGINT to its whole process
 * group, as a terminal sends it, once both services' processes run and before the broker
 * answers.
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it, type TestContext } from "vitest";
import { localServices, servicesDown } from "../../infra/local/services/local-services";
import { isPortOpen, waitUntil } from "../../infra/local/services/process-control";
import {
  readServiceSettings,
  type ServiceSettings,
} from "../../infra/local/services/service-settings";
import { privateStartEnvironment } from "../support/private-start";

const ROOT = resolve(import.meta.dirname, "../..");

/**
 * Runs `npm <args>` on services of its own and sends it a Ctrl-C once both services'
 * processes run; resolves once `done` shows in its output (or 30 s passed).
 */
const interruptWhileStarting = async (
  test: TestContext,
  args: readonly string[],
  done: RegExp,
): Promise<{ readonly output: string; readonly settings: ServiceSettings }> => {
  const stateDir = await mkdtemp(join(tmpdir(), "start-interrupted-"));
  const env = await privateStartEnvironment(stateDir);
  const settings = readServiceSettings(env);
  test.onTestFinished(async () => {
    // Also when the test fails: none of this run's services stays behind.
    await servicesDown(localServices(settings));
    await rm(stateDir, { recursive: true, force: true });
  });
  const command = spawn("npm", [...args], {
    cwd: ROOT,
    env,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  command.stdout.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  command.stderr.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  const group = command.pid;
  if (group === undefined) throw new Error(`npm ${args.join(" ")} has no pid`);
  test.onTestFinished(() => {
    try {
      process.kill(-group, "SIGKILL");
    } catch {
      // Already gone.
    }
  });
  const spawned = await waitUntil(
    async () =>
      existsSync(join(stateDir, "kafka", "kafka.pid")) &&
      existsSync(join(stateDir, "moto", "moto.pid")),
    60_000,
    50,
  );
  expect(spawned, `both services' processes did not start; output:\n${output}`).toBe(true);
  process.kill(-group, "SIGINT");
  // npm itself may exit first; the command says `done` once its services are down.
  await waitUntil(async () => done.test(output), 30_000, 100);
  return { output, settings };
};

/** Both services stopped, and their ports closed. */
const expectNothingRunning = async (settings: ServiceSettings): Promise<void> => {
  const statuses = await Promise.all(localServices(settings).map((service) => service.status()));
  expect(statuses).toEqual([{ state: "stopped" }, { state: "stopped" }]);
  await expect(isPortOpen("127.0.0.1", settings.kafka.port)).resolves.toBe(false);
  await expect(isPortOpen("127.0.0.1", settings.moto.port)).resolves.toBe(false);
};

describe("Ctrl-C while the local services are starting", () => {
  it("npm start stops the broker and moto it was starting", async (test) => {
    // Act
    const { output, settings } = await interruptWhileStarting(test, ["start"], /^stopped$/m);

    // Assess: it stopped before it was ready, and left nothing running
    expect(output).toContain("SIGINT: stopping the local runtime...");
    expect(output).toMatch(/^stopped$/m);
    expect(output).not.toContain("ready in");
    // The broker never answered: the Ctrl-C came while it was starting.
    expect(output).not.toMatch(/kafka\s+started/);
    await expectNothingRunning(settings);
  }, 120_000);

  it("npm run services:up stops the broker and moto it was starting", async (test) => {
    // Act
    const { output, settings } = await interruptWhileStarting(
      test,
      ["run", "services:up"],
      /stopped what this command had started/,
    );

    // Assess
    expect(output).toContain("InterruptedError: SIGINT: stopped what this command had started");
    expect(output).not.toMatch(/kafka\s+started/);
    await expectNothingRunning(settings);
  }, 120_000);
});
