import { describe, expect, it } from "vitest";
import { kafkaBatchItemFailure, kafkaBatchResponse } from "../../../shared/consumer";

describe("kafkaBatchItemFailure", () => {
  it('builds the identifier Lambda reads: partition is "<topic>-<partition>", offset a number', () => {
    // Prepare: the documented response, as JSON
    const documented =
      '{"batchItemFailures":[{"itemIdentifier":{"partition":"order-events-2","offset":41}}]}';

    // Act
    const response = kafkaBatchResponse([{ topic: "order-events", partition: 2, offset: 41 }]);

    // Assess
    expect(JSON.stringify(response)).toBe(documented);
    expect(kafkaBatchItemFailure({ topic: "order-events", partition: 2, offset: 41 })).toEqual({
      itemIdentifier: { partition: "order-events-2", offset: 41 },
    });
    expect(JSON.stringify(response)).not.toContain("topic-partition");
  });

  it("keeps dashes of the topic name, as Lambda's batch keys do", () => {
    // Act
    const failure = kafkaBatchItemFailure({
      topic: "order-events.v2-eu",
      partition: 10,
      offset: 0,
    });

    // Assess
    expect(failure.itemIdentifier).toEqual({ partition: "order-events.v2-eu-10", offset: 0 });
  });
});

describe("kafkaBatchResponse", () => {
  it("names each failed record once, by topic-partition and offset", () => {
    // Act
    const response = kafkaBatchResponse([
      { topic: "b", partition: 0, offset: 3 },
      { topic: "a", partition: 1, offset: 9 },
      { topic: "a", partition: 1, offset: 2 },
      { topic: "a", partition: 0, offset: 5 },
    ]);

    // Assess
    expect(response.batchItemFailures.map(({ itemIdentifier }) => itemIdentifier)).toEqual([
      { partition: "a-0", offset: 5 },
      { partition: "a-1", offset: 2 },
      { partition: "a-1", offset: 9 },
      { partition: "b-0", offset: 3 },
    ]);
  });

  it("answers a complete success with an empty list", () => {
    // Assess
    expect(kafkaBatchResponse([])).toEqual({ batchItemFailures: [] });
  });
});
