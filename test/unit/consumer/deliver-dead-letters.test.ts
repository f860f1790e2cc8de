/**
 * A dead letter the dead-letter topic refuses for what it is has an end too: it goes again
 * reduced (the original key and the metadata, saying why), the letters after it go on, and
 * the batch counts it. Other send failures leave the letters for Lambda, as before.
 */
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { consumeKafkaBatch } from "../../../shared/consumer";
import { CONTENT_OMITTED_HEADER, readDeadLetter } from "../../../shared/dead-letters";
import { type KafkaRecord, ProducePermanentError } from "../../../shared/kafka";
import { MessageRefusedError } from "../../../shared/kafka/classify-produce-error";
import type { OutgoingMessage, SendReport } from "../../../shared/kafka/outgoing-message";
import { setupTracing } from "../../../shared/observability";
import { consumerOf, RecordingSender, rawRecord, silentLogger } from "./fixtures";

beforeAll(() => {
  setupTracing({ serviceName: "deliver-dead-letters-test" });
});

afterEach(() => {
  vi.restoreAllMocks();
});

const plenty = () => 60_000;

const poison = (partition: number, offset: number): KafkaRecord => ({
  ...rawRecord(
    { event_type: "OrderCreated" },
    { partition, offset, key: `k-${partition}-${offset}` },
  ),
  headers: [{ name: "traceparent", value: Buffer.from("00-abc-def-01") }],
});

const acknowledged = (message: OutgoingMessage, index: number) => ({
  topic: message.topic,
  partition: 0,
  offset: String(index),
});

const refusal = (at: number, acknowledgements: readonly (number | undefined)[]) =>
  new MessageRefusedError(
    "Kafka send failed (KafkaJSProtocolError MESSAGE_TOO_LARGE): message larger than the server accepts",
    {
      firstUnacknowledged: at,
      kafkaError: "KafkaJSProtocolError",
      kafkaErrorType: "MESSAGE_TOO_LARGE",
    },
    acknowledgements.map((offset) =>
      offset === undefined
        ? undefined
        : { topic: "order-events.dlq", partition: 0, offset: String(offset) },
    ),
  );

/** A sender that refuses every full letter of the given source offsets, reduced ones too if told. */
const refusingSender = (
  refusedOffsets: ReadonlySet<number>,
  options: { readonly evenReduced?: boolean } = {},
) =>
  new RecordingSender(async (messages): Promise<SendReport> => {
    const at = messages.findIndex((message) => {
      const { original, failure } = readDeadLetter(message as KafkaRecord);
      const reduced = failure.contentOmitted !== undefined;
      return refusedOffsets.has(original.offset) && (!reduced || options.evenReduced === true);
    });
    if (at === -1) return { acknowledgements: messages.map(acknowledged) };
    throw refusal(
      at,
      messages.map((_message, index) => (index < at ? index : undefined)),
    );
  });

const lettersOf = (sender: RecordingSender) =>
  sender.sends.map((send) => send.map((message) => readDeadLetter(message as KafkaRecord)));

const failuresOf = (outcome: Awaited<ReturnType<typeof consumeKafkaBatch>>) =>
  outcome.response.batchItemFailures.map(
    ({ itemIdentifier }) => `${itemIdentifier.partition}@${itemIdentifier.offset}`,
  );

describe("consumeKafkaBatch: a dead letter the topic refuses for what it is", () => {
  it("sends it again without the record's value and headers, saying why, then the letters after it", async () => {
    // Prepare: three poison records; the broker refuses the full letter of the second
    const sender = refusingSender(new Set([1]));
    const logger = silentLogger();
    const errors = vi.spyOn(logger, "error");
    const records = [0, 1, 2].map((offset) => poison(0, offset));

    // Act
    const outcome = await consumeKafkaBatch(
      records,
      plenty,
      consumerOf(async () => "applied", { deadLetters: sender, logger }),
    );

    // Assess
    expect(failuresOf(outcome)).toEqual([]);
    expect(outcome.report).toMatchObject({ deadLettered: 3, deadLettersReduced: 1, failed: 0 });
    const [first, second] = lettersOf(sender);
    expect(first?.map(({ original }) => original.offset)).toEqual([0, 1, 2]);
    expect(second?.map(({ original }) => original.offset)).toEqual([1, 2]);
    const reduced = second?.[0];
    expect(reduced?.original).toMatchObject({ topic: "order-events", partition: 0, offset: 1 });
    expect(reduced?.original.value).toBeNull();
    expect(reduced?.original.headers).toEqual([]);
    expect(reduced?.original.key?.toString()).toBe("k-0-1");
    expect(reduced?.failure.kind).toBe("permanent");
    expect(reduced?.failure.contentOmitted).toMatch(/^ProducePermanentError: .*MESSAGE_TOO_LARGE/);
    const raw = sender.sends[1]?.[0] as KafkaRecord | undefined;
    expect(raw?.headers.find(({ name }) => name === CONTENT_OMITTED_HEADER)).toBeDefined();
    expect(second?.[1]?.original.value).not.toBeNull();
    expect(errors).toHaveBeenCalledWith(
      expect.stringContaining("refused a letter"),
      expect.objectContaining({ offset: 1, errorClass: "ProducePermanentError" }),
    );
  });

  it("leaves a letter refused even reduced for Lambda, with the later letters of its partition; other partitions go on", async () => {
    // Prepare: partition 0 holds poison @0, @1 (always refused), @2; partition 1 poison @0
    const sender = refusingSender(new Set([1]), { evenReduced: true });
    const records = [poison(0, 0), poison(0, 1), poison(0, 2), poison(1, 5)];

    // Act
    const outcome = await consumeKafkaBatch(
      records,
      plenty,
      consumerOf(async () => "applied", { deadLetters: sender }),
    );

    // Assess
    expect(failuresOf(outcome)).toEqual(["order-events-0@1", "order-events-0@2"]);
    expect(outcome.report).toMatchObject({ deadLettered: 2, deadLettersReduced: 0, failed: 2 });
    expect(
      lettersOf(sender).map((send) =>
        send.map(({ original }) => `${original.partition}@${original.offset}`),
      ),
    ).toEqual([["0@0", "0@1", "0@2", "1@5"], ["0@1", "0@2", "1@5"], ["1@5"]]);
  });

  it("leaves every letter not acknowledged for Lambda on a refusal about the cluster, not the letter", async () => {
    // Prepare: not authorized for the topic, after the first letter
    const sender = new RecordingSender(async () => {
      throw new ProducePermanentError("not authorized", {
        firstUnacknowledged: 1,
        kafkaError: "KafkaJSProtocolError",
        kafkaErrorType: "TOPIC_AUTHORIZATION_FAILED",
      });
    });

    // Act
    const outcome = await consumeKafkaBatch(
      [poison(0, 0), poison(0, 1)],
      plenty,
      consumerOf(async () => "applied", { deadLetters: sender }),
    );

    // Assess
    expect(sender.sends).toHaveLength(1);
    expect(failuresOf(outcome)).toEqual(["order-events-0@1"]);
    expect(outcome.report).toMatchObject({ deadLettered: 1, deadLettersReduced: 0, failed: 1 });
  });
});
