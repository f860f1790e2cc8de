import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { KAFKA_VERSION } from "../../infra/kafka-version";
import {
  InvalidServiceSettingsError,
  localAwsEndpoint,
  localKafkaBrokers,
  readServiceSettings,
} from "../../infra/local/services/service-settings";

describe("readServiceSettings", () => {
  it("defaults to the README's ports and a .local state folder", () => {
    // Act
    const settings = readServiceSettings({ HOME: "/home/dev" }, "/repo");

    // Assess
    expect(localKafkaBrokers(settings)).toBe("127.0.0.1:9092");
    expect(localAwsEndpoint(settings)).toBe("http://127.0.0.1:4566");
    expect(settings.kafka.controllerPort).toBe(9093);
    expect(settings.stateDir).toBe("/repo/.local");
    expect(settings.logDir).toBe("/repo/.local/logs");
  });

  it("takes ports and folders from the environment", () => {
    // Act
    const settings = readServiceSettings(
      {
        LOCAL_KAFKA_PORT: "19092",
        LOCAL_KAFKA_CONTROLLER_PORT: "19093",
        LOCAL_MOTO_PORT: "14566",
        LOCAL_STATE_DIR: "/tmp/state",
        LOCAL_CACHE_DIR: "/tmp/cache",
      },
      "/repo",
    );

    // Assess
    expect(localKafkaBrokers(settings)).toBe("127.0.0.1:19092");
    expect(settings.kafka.controllerPort).toBe(19093);
    expect(localAwsEndpoint(settings)).toBe("http://127.0.0.1:14566");
    expect(settings.stateDir).toBe("/tmp/state");
    expect(settings.cacheDir).toBe("/tmp/cache");
  });

  it("fails fast naming the malformed variable", () => {
    // Act
    const read = () => readServiceSettings({ LOCAL_MOTO_PORT: "not-a-port" }, "/repo");

    // Assess
    expect(read).toThrow(InvalidServiceSettingsError);
    expect(read).toThrow(/LOCAL_MOTO_PORT/);
  });
});

describe("local broker version", () => {
  it("pins the same Kafka version in the POM as the one the system declares", () => {
    // Prepare
    const pom = readFileSync(join(import.meta.dirname, "../../infra/local/kafka/pom.xml"), "utf8");

    // Act
    const pinned = /<kafka\.version>([^<]+)<\/kafka\.version>/.exec(pom)?.[1];

    // Assess
    expect(pinned).toBe(KAFKA_VERSION);
  });
});

describe("the wiring's routed event types", () => {
  it("tell unrouted-events exactly the types some consumer's filter takes, which are all the contracts' types", async () => {
    // Prepare
    const { systemWiring } = await import("../../infra/wiring/system-wiring");
    const { orderEventTypes } = await import("../../shared/orders/order-events");

    // Act
    const routed = systemWiring.functions
      .find((fn) => fn.name === "unrouted-events")
      ?.environment.ROUTED_EVENT_TYPES?.split(",");

    // Assess
    expect(routed?.sort()).toEqual([...orderEventTypes].sort());
  });
});
