/**
 * `npm start` and `npm run services:up` bring the local services up all or nothing
 * (`infra/local/services/local-services.ts`): when one cannot start, the others the same call
 * started are stopped again, and so are those still starting when the start is aborted
 * (Ctrl-C). A real moto on free ports with a state folder of its own; the broker's port is
 * held by a listener that is not Kafka, so the broker refuses to start.
 */
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ServiceStartError } from "../../infra/local/services/errors";
import { localServices, servicesUp } from "../../infra/local/services/local-services";
import { motoServer } from "../../infra/local/services/moto-server";
import { isPortOpen, waitUntil } from "../../infra/local/services/process-control";
import { readServiceSettings } from "../../infra/local/services/service-settings";
import { freePorts } from "../support/free-ports";

describe("the local services, brought up together", () => {
  it("stops the moto it started when the broker cannot start", async (test) => {
    // Prepare
    const stateDir = await mkdtemp(join(tmpdir(), "services-up-"));
    test.onTestFinished(() => rm(stateDir, { recursive: true, force: true }));
    const [kafkaPort, controllerPort, motoPort] = await freePorts(3);
    if (kafkaPort === undefined || controllerPort === undefined || motoPort === undefined)
      throw new Error("freePorts gave fewer than three ports");
    const squatter = createServer((socket) => socket.destroy());
    await new Promise<void>((done) => squatter.listen(kafkaPort, "127.0.0.1", done));
    test.onTestFinished(() => new Promise<void>((done) => squatter.close(() => done())));
    const settings = readServiceSettings({
      ...process.env,
      LOCAL_KAFKA_PORT: String(kafkaPort),
      LOCAL_KAFKA_CONTROLLER_PORT: String(controllerPort),
      LOCAL_MOTO_PORT: String(motoPort),
      LOCAL_STATE_DIR: stateDir,
    });
    const services = localServices(settings);
    const moto = services.find((service) => service.name === "moto");
    if (moto === undefined) throw new Error("no moto among the local services");
    test.onTestFinished(async () => {
      await moto.down();
    });
    const lines: string[] = [];

    // Act
    const up = servicesUp(services, (line) => lines.push(line));

    // Assess: the broker's failure, and no moto left behind
    await expect(up).rejects.toThrow(ServiceStartError);
    await expect(up).rejects.toThrow(`Port ${kafkaPort} is taken`);
    expect(lines).toContain("[moto] stopped again");
    await expect(moto.status()).resolves.toEqual({ state: "stopped" });
    await expect(isPortOpen("127.0.0.1", motoPort)).resolves.toBe(false);
  });

  it("stops a moto still starting when the start is aborted, and rejects with the reason", async (test) => {
    // Prepare
    const stateDir = await mkdtemp(join(tmpdir(), "services-abort-"));
    test.onTestFinished(() => rm(stateDir, { recursive: true, force: true }));
    const [motoPort] = await freePorts(1);
    if (motoPort === undefined) throw new Error("freePorts gave no port");
    const settings = readServiceSettings({
      ...process.env,
      LOCAL_MOTO_PORT: String(motoPort),
      LOCAL_STATE_DIR: stateDir,
    });
    const moto = motoServer(settings);
    test.onTestFinished(async () => {
      await moto.down();
    });
    const startup = new AbortController();
    const reason = new Error("Ctrl-C");

    // Act: abort once moto's process runs, before it answers
    const up = servicesUp([moto], () => undefined, startup.signal);
    const spawned = await waitUntil(
      async () => existsSync(join(stateDir, "moto", "moto.pid")),
      30_000,
      20,
    );
    startup.abort(reason);

    // Assess
    expect(spawned).toBe(true);
    await expect(up).rejects.toBe(reason);
    await expect(moto.status()).resolves.toEqual({ state: "stopped" });
    await expect(isPortOpen("127.0.0.1", motoPort)).resolves.toBe(false);
  });
});
