import { describe, expect, it } from "vitest";
import { publishDeadLetters } from "../../../shared/dead-letters";
import type { MessageSender, OutgoingMessage } from "../../../shared/kafka/outgoing-message";

describe("publishDeadLetters", () => {
  it("sends one dead letter per failed record in a single send, each to its .dlq topic", async () => {
    // Prepare
    const sends: OutgoingMessage[][] = [];
    const sender: MessageSender = {
      send: async (messages) => {
        sends.push([...messages]);
        return {
          acknowledgements: messages.map(({ topic }, index) => ({
            topic,
            partition: 0,
            offset: String(index),
          })),
        };
      },
    };
    const at = new Date("2026-11-26T09:00:00.000Z");
    const record = (topic: string, offset: number) => ({
      topic,
      partition: 0,
      offset,
      timestamp: at.getTime(),
      timestampType: "CREATE_TIME",
      key: Buffer.from(`k-${offset}`),
      value: Buffer.from("not json"),
      headers: [],
    });

    // Act
    const report = await publishDeadLetters(sender, [
      {
        record: record("order-events", 1),
        error: new Error("a"),
        kind: "undecodable",
        functionName: "f",
        attempts: 1,
        firstFailureAt: at,
        lastFailureAt: at,
      },
      {
        record: record("payments", 2),
        error: new Error("b"),
        kind: "permanent",
        functionName: "f",
        attempts: 1,
        firstFailureAt: at,
        lastFailureAt: at,
      },
    ]);

    // Assess
    expect(sends).toHaveLength(1);
    expect(sends[0]?.map(({ topic }) => topic)).toEqual(["order-events.dlq", "payments.dlq"]);
    expect(report.acknowledgements.map(({ topic }) => topic)).toEqual([
      "order-events.dlq",
      "payments.dlq",
    ]);
  });
});
