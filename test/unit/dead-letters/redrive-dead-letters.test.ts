/**
 * Redrive's own decisions, with a recording sender and an in-memory ledger: the pace
 * `--rate` sets, what is skipped and why, a dry run that sends and marks nothing, and a
 * failed send that leaves its letter unmarked while the rest go on.
 */
import { describe, expect, it } from "vitest";
import { buildDeadLetter } from "../../../shared/dead-letters";
import {
  type DeadLetterEntry,
  dlqEntry,
  type LedgerMark,
  type RedriveLedger,
  redriveDeadLetters,
} from "../../../shared/dead-letters/inventory";
import type { KafkaRecord } from "../../../shared/kafka/kafka-record";
import type { MessageSender, OutgoingMessage } from "../../../shared/kafka/outgoing-message";

const NOW = new Date("2026-12-02T10:00:00.000Z");

const entry = (offset: number, redrivenAt: string | null = null): DeadLetterEntry => {
  const original: KafkaRecord = {
    topic: "order-events",
    partition: 0,
    offset,
    timestamp: NOW.getTime(),
    timestampType: "CREATE_TIME",
    key: Buffer.from(`ord-${offset}`),
    value: Buffer.from("{}"),
    headers: [],
  };
  const letter = buildDeadLetter({
    record: original,
    error: new Error("refused"),
    kind: "permanent",
    functionName: "order-created",
    attempts: 1,
    firstFailureAt: NOW,
    lastFailureAt: NOW,
  });
  const read = dlqEntry({
    ...original,
    topic: letter.topic,
    offset,
    key: letter.key,
    value: letter.value,
    headers: [...letter.headers] as KafkaRecord["headers"],
  });
  return { ...read, summary: { ...read.summary, redriven_at: redrivenAt } };
};

const fixture = (failOn?: string) => {
  const sent: OutgoingMessage[] = [];
  const marks: { mark: LedgerMark; id: string }[] = [];
  const sleeps: number[] = [];
  const sender: MessageSender = {
    send: async (messages) => {
      if (messages.some((message) => message.key?.toString() === failOn))
        throw new Error("broker down");
      sent.push(...messages);
      return { acknowledgements: [] };
    },
  } as MessageSender;
  const ledger: RedriveLedger = {
    mark: async (mark, id) => {
      marks.push({ mark, id });
    },
    read: async () => ({ redriven: new Map(), purged: new Map() }),
  };
  const relay = {
    deadLetters: { put: async () => undefined },
    maxMessageBytes: 1_000,
    topics: new Set(["order-events"]),
  };
  const sleep = async (ms: number) => {
    sleeps.push(ms);
  };
  return { sent, marks, sleeps, dependencies: { sender, ledger, relay, sleep } };
};

describe("redriveDeadLetters", () => {
  it("sends each original back to its topic and marks it; --rate spaces the sends", async () => {
    const { sent, marks, sleeps, dependencies } = fixture();
    const outcomes = await redriveDeadLetters([entry(1), entry(2), entry(3)], {
      ...dependencies,
      again: false,
      dryRun: false,
      rate: 2,
    });
    expect(outcomes.map((outcome) => outcome.outcome)).toEqual([
      "redriven",
      "redriven",
      "redriven",
    ]);
    expect(sent.map((message) => [message.topic, message.key?.toString()])).toEqual([
      ["order-events", "ord-1"],
      ["order-events", "ord-2"],
      ["order-events", "ord-3"],
    ]);
    expect(marks.map((mark) => mark.mark)).toEqual(["redriven", "redriven", "redriven"]);
    // 2 records/s: about half a second before each record after the first.
    expect(sleeps).toHaveLength(2);
    for (const ms of sleeps) expect(ms).toBeGreaterThan(400);
  });

  it("skips what was redriven unless again, and a dry run sends and marks nothing", async () => {
    const { sent, marks, dependencies } = fixture();
    const skipped = await redriveDeadLetters([entry(1, NOW.toISOString())], {
      ...dependencies,
      again: false,
      dryRun: false,
    });
    expect(skipped).toEqual([
      expect.objectContaining({ outcome: "skipped", detail: expect.stringContaining("--again") }),
    ]);
    const dry = await redriveDeadLetters([entry(1, NOW.toISOString()), entry(2)], {
      ...dependencies,
      again: true,
      dryRun: true,
    });
    expect(dry.map((outcome) => outcome.outcome)).toEqual(["would-redrive", "would-redrive"]);
    expect(sent).toEqual([]);
    expect(marks).toEqual([]);
  });

  it("a failed send leaves its letter unmarked, and the others still go", async () => {
    const { sent, marks, dependencies } = fixture("ord-1");
    const outcomes = await redriveDeadLetters([entry(1), entry(2)], {
      ...dependencies,
      again: false,
      dryRun: false,
    });
    expect(outcomes).toEqual([
      expect.objectContaining({ outcome: "failed", detail: "Error: broker down" }),
      expect.objectContaining({ outcome: "redriven" }),
    ]);
    expect(sent.map((message) => message.key?.toString())).toEqual(["ord-2"]);
    expect(marks.map((mark) => mark.id)).toEqual([outcomes[1]?.id]);
  });
});
