import { describe, expect, it } from "vitest";
import { filterCriteria } from "../../infra/constructs/filter-criteria";
import {
  mskKafkaVersion,
  UnsupportedKafkaVersionError,
} from "../../infra/constructs/msk-kafka-version";
import { functionEnvironment } from "../../infra/wiring/function-environment";
import { InvalidEventSourceMappingError } from "../../infra/wiring/mapping-limits";
import { systemWiring } from "../../infra/wiring/system-wiring";
import type { FunctionDeclaration, SystemWiring } from "../../infra/wiring/types";
import { synthesizeSystem } from "./support/synthesize-system";

const declared = (name: string): FunctionDeclaration => {
  const fn = systemWiring.functions.find((candidate) => candidate.name === name);
  if (fn === undefined) throw new Error(`${name} is not declared`);
  return fn;
};

const withFunction = (fn: FunctionDeclaration): SystemWiring => ({
  ...systemWiring,
  functions: systemWiring.functions.map((existing) => (existing.name === fn.name ? fn : existing)),
});

describe("mskKafkaVersion", () => {
  it("names a 4.x release by its minor version in KRaft mode, as MSK does", () => {
    expect(mskKafkaVersion("4.1.2")).toBe("4.1.x.kraft");
    expect(mskKafkaVersion("4.0.0")).toBe("4.0.x.kraft");
  });

  it("refuses versions the local broker cannot match", () => {
    expect(() => mskKafkaVersion("3.9.1")).toThrow(UnsupportedKafkaVersionError);
    expect(() => mskKafkaVersion("4.1")).toThrow(UnsupportedKafkaVersionError);
  });
});

describe("filterCriteria", () => {
  it("JSON-encodes each pattern in its own filter", () => {
    expect(
      filterCriteria([{ value: { event_type: ["A"] } }, { value: { event_type: ["B"] } }]),
    ).toEqual([
      { pattern: '{"value":{"event_type":["A"]}}' },
      { pattern: '{"value":{"event_type":["B"]}}' },
    ]);
  });

  it("leaves a mapping without patterns unfiltered", () => {
    expect(filterCriteria([])).toBeUndefined();
  });
});

describe("functionEnvironment", () => {
  const names = {
    tableName: (name: string) => `physical-${name}`,
    bucketName: (name: string) => `bucket-${name}`,
    kafka: { brokers: "b-1:9098,b-2:9098", auth: "iam", tls: true },
  } as const;

  it("gives the relay its bucket, the MSK connection and its topics, and no consumer mode", () => {
    // Act
    const environment = functionEnvironment(declared("outbox-relay"), names);

    // Assess
    expect(environment).toEqual({
      POWERTOOLS_METRICS_NAMESPACE: "OrderEvents",
      POWERTOOLS_SERVICE_NAME: "outbox-relay",
      DEAD_LETTER_BUCKET_NAME: "bucket-outbox-dead-letters",
      KAFKA_BROKERS: "b-1:9098,b-2:9098",
      KAFKA_AUTH: "iam",
      KAFKA_TLS: "true",
      KAFKA_PRODUCE_TOPICS: "order-events",
    });
  });

  it("gives the API its tables and nothing about Kafka", () => {
    // Act
    const environment = functionEnvironment(declared("orders-api"), names);

    // Assess
    expect(environment).toMatchObject({
      ORDERS_TABLE_NAME: "physical-orders",
      READ_MODEL_TABLE_NAME: "physical-order-read-model",
    });
    expect(Object.keys(environment).filter((key) => key.startsWith("KAFKA_"))).toEqual([]);
  });
});

describe("an inconsistent declaration fails the synth", () => {
  it("when a mapping's on-failure topic is its source topic", () => {
    // Prepare
    const consumer = declared("order-created");
    const trigger = consumer.trigger;
    if (trigger?.kind !== "kafka" || trigger.mode.kind !== "provisioned") throw new Error("shape");
    const looping = withFunction({
      ...consumer,
      trigger: { ...trigger, mode: { ...trigger.mode, onFailureTopic: trigger.topic } },
    });

    // Act / Assess
    expect(() => synthesizeSystem({ wiring: looping })).toThrow(InvalidEventSourceMappingError);
    expect(() => synthesizeSystem({ wiring: looping })).toThrow(/is the source topic/);
  });

  it("when a mapping has more filter patterns than Lambda takes", () => {
    // Prepare
    const consumer = declared("order-created");
    const trigger = consumer.trigger;
    if (trigger?.kind !== "kafka") throw new Error("shape");
    const six = Array.from({ length: 6 }, (_, i) => ({ value: { event_type: [`T${i}`] } }));
    const crowded = withFunction({ ...consumer, trigger: { ...trigger, filters: six } });

    // Act / Assess
    expect(() => synthesizeSystem({ wiring: crowded })).toThrow(
      /6 patterns; Lambda takes at most 5/,
    );
  });

  it("when a function names a table that is not declared", () => {
    // Prepare
    const api = declared("orders-api");
    const wrong = withFunction({
      ...api,
      access: { tables: [{ table: "orderz", actions: ["GetItem"], environmentVariable: "T" }] },
    });

    // Act / Assess
    expect(() => synthesizeSystem({ wiring: wrong })).toThrow(/No table "orderz" is declared/);
  });

  it("when a function uses a topic that is not declared", () => {
    // Prepare
    const relay = declared("outbox-relay");
    const wrong = withFunction({
      ...relay,
      access: { ...relay.access, kafka: { produceTo: ["orders"] } },
    });

    // Act / Assess
    expect(() => synthesizeSystem({ wiring: wrong })).toThrow(
      /outbox-relay uses topic "orders", which is not declared/,
    );
  });
});
