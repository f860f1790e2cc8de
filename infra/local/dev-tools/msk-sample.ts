/**
 * A sample MSK event, as the local Kafka mapping builds it (`runtime/kafka-lambda-event.ts`):
 * valid order events published as the relay publishes them (key, JSON value, headers), and
 * poison records of the demo's kinds (`demo/demo-plan.ts`), spread over partitions.
 *
 * @example
 * ```ts
 * const event = mskSampleEvent(ids, { topic: "order-events", events, poison: ["not-json"], partitions: 2, ... });
 * ```
 */
import type { IHeaders, KafkaMessage } from "kafkajs";
import { eventHeaders } from "../../../shared/kafka/headers";
import type { LambdaKafkaEvent } from "../../../shared/kafka/lambda-kafka-event";
import type {
  OutgoingHeader,
  OutgoingHeaders,
  OutgoingMessage,
} from "../../../shared/kafka/outgoing-message";
import type { OrderEvent } from "../../../shared/orders/order-events";
import { malformedRecords } from "../demo/demo-plan";
import { mskEvent, type PolledRecord, toPolledRecord } from "../runtime/kafka-lambda-event";
import { SampleIds } from "./sample-ids";

/** The `source` header of sample events. */
export const SAMPLE_SOURCE = "npm-run-event";

/** A demo label as an option value: "JSON without event_type" -> "json-without-event-type". */
const kindOf = (label: string): string =>
  label
    .toLowerCase()
    .replaceAll(/[^a-z0-9]+/g, "-")
    .replaceAll(/^-|-$/g, "");

/** The demo's malformed records of one run, by kind. */
const poisonRecords = (ids: SampleIds, topic: string): Map<string, OutgoingMessage> => {
  let drawn = 0;
  const newId = () => {
    drawn += 1;
    return ids.uuid(`poison-${drawn}`);
  };
  const records = malformedRecords(`sample-${ids.tag("poison")}`, topic, ids.at, newId);
  return new Map(records.map((record) => [kindOf(record.label), record.message]));
};

/** Every poison kind `--poison` takes, in the demo's order. */
export const poisonKinds: readonly string[] = [
  ...poisonRecords(new SampleIds("poison-kinds"), "topic").keys(),
];

/** What one sample batch holds and where it claims to come from. */
export interface MskSampleRequest {
  readonly topic: string;
  readonly events: readonly OrderEvent[];
  /** Poison kinds, each one record after the events. */
  readonly poison: readonly string[];
  /** Records go round-robin over partitions 0 to `partitions - 1`. */
  readonly partitions: number;
  readonly eventSourceArn: string;
  readonly bootstrapServers: string;
}

const isHeaderList = (headers: OutgoingHeaders): headers is readonly OutgoingHeader[] =>
  Array.isArray(headers);

const headersOf = (headers: OutgoingMessage["headers"]): IHeaders => {
  if (headers === undefined) return {};
  if (isHeaderList(headers))
    return Object.fromEntries(headers.map(({ name, value }) => [name, value]));
  return { ...headers };
};

const asBuffer = (value: Buffer | string | null): Buffer | null =>
  value === null ? null : Buffer.from(value);

/** The messages of the batch, in record order: the events first, then the poison. */
const messagesOf = (ids: SampleIds, request: MskSampleRequest): OutgoingMessage[] => {
  const poison = poisonRecords(ids, request.topic);
  return [
    ...request.events.map((event) => ({
      topic: request.topic,
      key: event.aggregate_id,
      value: JSON.stringify(event),
      headers: eventHeaders(event, { source: SAMPLE_SOURCE, producedAt: ids.at }),
    })),
    ...request.poison.map((kind) => {
      const message = poison.get(kind);
      if (message === undefined)
        throw new Error(`no poison kind "${kind}" (one of: ${poisonKinds.join(", ")})`);
      return message;
    }),
  ];
};

/** The MSK event Lambda would pass for the batch, records in offset order per partition. */
export const mskSampleEvent = (ids: SampleIds, request: MskSampleRequest): LambdaKafkaEvent => {
  const nextOffset = new Map<number, number>();
  const records: PolledRecord[] = messagesOf(ids, request).map((message, index) => {
    const partition = index % request.partitions;
    const offset = nextOffset.get(partition) ?? 0;
    nextOffset.set(partition, offset + 1);
    const kafkaMessage: KafkaMessage = {
      key: asBuffer(message.key),
      value: asBuffer(message.value),
      headers: headersOf(message.headers),
      timestamp: String(ids.after(index).getTime()),
      offset: String(offset),
      attributes: 0,
    };
    return toPolledRecord(request.topic, partition, kafkaMessage);
  });
  return mskEvent(records, request);
};
