/**
 * One sample event of a kind the wiring has triggers for: `msk` (a Kafka trigger, by function
 * or topic), `dynamodb-stream` (a stream trigger, by function or table) or `http` (a declared
 * route). What `npm run event` prints and what the shipped samples under `events/` are.
 *
 * @example
 * ```ts
 * sampleEvent(systemWiring, { kind: "msk", target: "order-shipped", records: 3, partitions: 2, ... }, place);
 * ```
 */
import { type OrderEventType, orderEventTypes } from "../../../shared/orders/order-events";
import type { SystemWiring } from "../../wiring/types";
import { httpSampleEvent } from "./http-sample";
import { mskSampleEvent } from "./msk-sample";
import { SampleIds } from "./sample-ids";
import { sampleCustomerId, sampleOrderEvents, sampleOrderId } from "./sample-order-events";
import { type KafkaTarget, type SampleTargets, sampleTargets } from "./sample-targets";
import { streamSampleEvent } from "./stream-sample";

/** The kinds of sample event, one per kind of trigger. */
export const SAMPLE_KINDS = ["msk", "dynamodb-stream", "http"] as const;
export type SampleKind = (typeof SAMPLE_KINDS)[number];

/** What to sample; unset fields take the defaults `--help` names. */
export interface SampleRequest {
  readonly kind: SampleKind;
  /** A function, topic or table name; the first of the kind when absent. */
  readonly target?: string;
  readonly types: readonly string[];
  readonly orderId?: string;
  readonly records?: number;
  readonly partitions: number;
  readonly poison: readonly string[];
  /** `"POST /orders"`, for `http`. */
  readonly route?: string;
  readonly parameters: Readonly<Record<string, string>>;
  readonly seed?: string;
}

/** Where the sample claims to come from. */
export interface SamplePlace {
  readonly region: string;
  readonly bootstrapServers: string;
}

/** A request that names something the wiring or the contracts do not have. */
export class SampleRequestError extends Error {
  override readonly name = "SampleRequestError";
}

const pick = <T>(items: readonly T[], matches: (item: T) => boolean, what: string, all: string) => {
  const found = items.find(matches);
  if (found === undefined) throw new SampleRequestError(`no ${what} (one of: ${all})`);
  return found;
};

const eventTypesOf = (request: SampleRequest, defaults: readonly OrderEventType[]) =>
  request.types.length === 0
    ? defaults
    : request.types.map((type) =>
        pick(
          orderEventTypes,
          (known) => known === type,
          `event type "${type}"`,
          orderEventTypes.join(", "),
        ),
      );

const mskSample = (
  wiring: SystemWiring,
  targets: SampleTargets,
  request: SampleRequest,
  place: SamplePlace,
  ids: SampleIds,
) => {
  const names = targets.kafka.map((t) => t.functionName ?? t.topic);
  const target: KafkaTarget =
    request.target === undefined
      ? pick(targets.kafka, () => true, "Kafka trigger", "")
      : pick(
          targets.kafka,
          (t) => t.functionName === request.target || t.topic === request.target,
          `Kafka trigger or topic "${request.target}"`,
          names.join(", "),
        );
  const types = eventTypesOf(request, target.eventTypes);
  const records = request.records ?? (request.poison.length > 0 ? 0 : types.length);
  if (records + request.poison.length === 0)
    throw new SampleRequestError("a batch holds at least one record: --records 0 needs --poison");
  const declared = wiring.topics.find((topic) => topic.name === target.topic)?.partitions;
  if (declared !== undefined && request.partitions > declared)
    throw new SampleRequestError(
      `${target.topic} has ${declared} partitions, not ${request.partitions}`,
    );
  return mskSampleEvent(ids, {
    topic: target.topic,
    events: sampleOrderEvents(ids, { types, records, orderId: request.orderId }),
    poison: request.poison,
    partitions: request.partitions,
    eventSourceArn: `arn:aws:kafka:${place.region}:000000000000:cluster/local/${target.consumerGroupId ?? target.topic}`,
    bootstrapServers: place.bootstrapServers,
  });
};

const streamSample = (
  targets: SampleTargets,
  request: SampleRequest,
  place: SamplePlace,
  ids: SampleIds,
) => {
  const names = targets.streams.map((t) => t.functionName);
  const target = pick(
    targets.streams,
    (t) =>
      request.target === undefined ||
      t.functionName === request.target ||
      t.table === request.target,
    `stream trigger${request.target === undefined ? "" : ` "${request.target}"`}`,
    names.join(", "),
  );
  const types = eventTypesOf(request, orderEventTypes);
  const records = request.records ?? types.length;
  return streamSampleEvent(ids, {
    table: target.table,
    topic: target.topic,
    events: sampleOrderEvents(ids, { types, records, orderId: request.orderId }),
    region: place.region,
  });
};

const httpSample = (targets: SampleTargets, request: SampleRequest, ids: SampleIds) => {
  const wanted = request.route?.trim().replaceAll(/\s+/g, " ");
  const target = pick(
    targets.routes,
    (t) =>
      (wanted === undefined || t.routeKey === wanted) &&
      (request.target === undefined || t.functionName === request.target),
    `route${wanted === undefined ? "" : ` "${wanted}"`}${request.target === undefined ? "" : ` of ${request.target}`}`,
    targets.routes.map((t) => `"${t.routeKey}"`).join(", "),
  );
  return httpSampleEvent(ids, {
    route: target.route,
    target: target.functionName,
    orderId: request.orderId ?? sampleOrderId(ids),
    customerId: sampleCustomerId(ids),
    parameters: request.parameters,
  });
};

/** The sample event, Lambda-shaped; throws {@link SampleRequestError} for an unknown name. */
export const sampleEvent = (
  wiring: SystemWiring,
  request: SampleRequest,
  place: SamplePlace,
): unknown => {
  const targets = sampleTargets(wiring);
  const ids = new SampleIds(request.seed);
  switch (request.kind) {
    case "msk":
      return mskSample(wiring, targets, request, place, ids);
    case "dynamodb-stream":
      return streamSample(targets, request, place, ids);
    case "http":
      return httpSample(targets, request, ids);
  }
};
