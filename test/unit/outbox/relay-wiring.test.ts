/**
 * The relay learns the topics it may publish to from the wiring: its `access.kafka.produceTo`
 * becomes `KAFKA_PRODUCE_TOPICS`, the same in the CDK app and in the local runtime.
 */
import { describe, expect, it } from "vitest";
import { localFunctionEnvironment } from "../../../infra/local/runtime/function-environment";
import { readRuntimeSettings } from "../../../infra/local/runtime/runtime-settings";
import { readServiceSettings } from "../../../infra/local/services/service-settings";
import { functionEnvironment } from "../../../infra/wiring/function-environment";
import { systemWiring } from "../../../infra/wiring/system-wiring";

const declared = (name: string) => {
  const found = systemWiring.functions.find((fn) => fn.name === name);
  if (found === undefined) throw new Error(`no function ${name}`);
  return found;
};
const names = { tableName: (name: string) => name, bucketName: (name: string) => name };

describe("the relay's topics, from the wiring", () => {
  it("are the topics its declaration may produce to, in AWS and locally", () => {
    // Prepare
    const relay = declared("outbox-relay");
    const produceTo = relay.access.kafka?.produceTo ?? [];

    // Act
    const deployed = functionEnvironment(relay, {
      ...names,
      kafka: { brokers: "b-1:9098", auth: "iam", tls: true },
    });
    const local = localFunctionEnvironment(
      relay,
      readRuntimeSettings({}, readServiceSettings({}, "/repo")),
      names,
    );

    // Assess
    expect(produceTo).toEqual(["order-events"]);
    expect(deployed.KAFKA_PRODUCE_TOPICS).toBe("order-events");
    expect(local.KAFKA_PRODUCE_TOPICS).toBe("order-events");
  });

  it("are listed comma-separated when there are several, and absent when there are none", () => {
    // Prepare
    const relay = declared("outbox-relay");
    const kafka = { brokers: "127.0.0.1:9092", auth: "none", tls: false } as const;
    const several = { ...relay, access: { ...relay.access, kafka: { produceTo: ["a", "b.c"] } } };
    const none = { ...relay, access: { ...relay.access, kafka: { consumeFrom: ["a"] } } };

    // Act
    const withSeveral = functionEnvironment(several, { ...names, kafka });
    const withNone = functionEnvironment(none, { ...names, kafka });

    // Assess
    expect(withSeveral.KAFKA_PRODUCE_TOPICS).toBe("a,b.c");
    expect(withNone).not.toHaveProperty("KAFKA_PRODUCE_TOPICS");
  });
});
