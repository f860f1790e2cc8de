/**
 * The demo's small helpers: the mappings it reads from the wiring, and bounded parallel work.
 */

import { describe, expect, it } from "vitest";
import { inParallel } from "../../../infra/local/demo/in-parallel";
import { topicMappings } from "../../../infra/local/demo/topic-mappings";
import { systemWiring } from "../../../infra/wiring/system-wiring";

describe("topicMappings", () => {
  it("lists every Kafka mapping of the topic from the wiring, with group and filters", () => {
    // Act
    const mappings = topicMappings(systemWiring, "order-events");

    // Assess
    const declared = systemWiring.functions.flatMap((fn) =>
      fn.trigger?.kind === "kafka" && fn.trigger.topic === "order-events"
        ? [[fn.name, fn.trigger.consumerGroupId, fn.trigger.filters]]
        : [],
    );
    expect(declared.map(([name]) => name)).toEqual(
      expect.arrayContaining(["order-created", "unrouted-events"]),
    );
    expect(
      mappings.map(({ functionName, groupId, filters }) => [functionName, groupId, filters]),
    ).toEqual(declared);
    const created = mappings.find(({ functionName }) => functionName === "order-created");
    expect(created).toMatchObject({
      groupId: "order-created-v1",
      filters: [{ value: { event_type: ["OrderCreated"] } }],
    });
    expect(topicMappings(systemWiring, "order-events.dlq")).toEqual([]);
  });
});

describe("inParallel", () => {
  it("keeps the items' order and never runs more than the limit at once", async () => {
    // Prepare
    let running = 0;
    let most = 0;
    const work = async (item: number) => {
      running += 1;
      most = Math.max(most, running);
      await new Promise((done) => setTimeout(done, (5 - item) * 2));
      running -= 1;
      return item * 10;
    };

    // Act
    const results = await inParallel([1, 2, 3, 4, 5], 2, work);

    // Assess
    expect(results).toEqual([10, 20, 30, 40, 50]);
    expect(most).toBe(2);
  });

  it("does nothing for no items", async () => {
    // Act
    const results = await inParallel([], 4, async () => 1);

    // Assess
    expect(results).toEqual([]);
  });
});
