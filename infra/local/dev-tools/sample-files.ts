/**
 * The sample events shipped under `events/`: one file per trigger and per route of the
 * wiring, made with a fixed seed so that writing them again gives the same files.
 * `events/<function>/msk-batch.json` for a Kafka trigger (a record of each event type its
 * filters take, over two partitions; a trigger taking every record gets every poison kind
 * too), `events/<function>/dynamodb-stream-batch.json` for a stream trigger (an outbox INSERT
 * per event type), `events/<function>/<method>-<path>.json` for a route.
 *
 * @example
 * ```ts
 * sampleFiles(systemWiring).map((file) => file.path); // ["order-created/msk-batch.json", ...]
 * ```
 */
import { orderEventTypes } from "../../../shared/orders/order-events";
import type { SystemWiring } from "../../wiring/types";
import { poisonKinds } from "./msk-sample";
import { type SamplePlace, type SampleRequest, sampleEvent } from "./sample-event";
import { sampleTargets } from "./sample-targets";

/** The seed of the shipped samples. */
export const SHIPPED_SAMPLE_SEED = "events";

/** Where the shipped samples claim to come from: the local runtime's defaults. */
export const SHIPPED_SAMPLE_PLACE: SamplePlace = {
  region: "us-east-1",
  bootstrapServers: "127.0.0.1:9092",
};

/** One shipped sample: its path under `events/`, the function it is for, and the request. */
export interface SampleFile {
  readonly path: string;
  readonly functionName: string;
  readonly request: SampleRequest;
}

const base = {
  types: [],
  partitions: 1,
  poison: [],
  parameters: {},
  seed: SHIPPED_SAMPLE_SEED,
} as const;

/** "POST /orders/{id}/ship" -> "post-orders-id-ship". */
export const routeFileName = (routeKey: string): string =>
  routeKey
    .toLowerCase()
    .replaceAll(/[^a-z0-9]+/g, "-")
    .replaceAll(/^-|-$/g, "");

/** Every shipped sample, in the wiring's order. */
export const sampleFiles = (wiring: SystemWiring): SampleFile[] => {
  const targets = sampleTargets(wiring);
  const kafka = targets.kafka.flatMap((target) => {
    if (target.functionName === undefined) return [];
    const takesAll = target.eventTypes.length === orderEventTypes.length;
    const request: SampleRequest = {
      ...base,
      kind: "msk",
      target: target.functionName,
      records: Math.max(2, target.eventTypes.length),
      partitions: 2,
      poison: takesAll ? poisonKinds : [],
    };
    return [
      { path: `${target.functionName}/msk-batch.json`, functionName: target.functionName, request },
    ];
  });
  const streams = targets.streams.map((target) => ({
    path: `${target.functionName}/dynamodb-stream-batch.json`,
    functionName: target.functionName,
    request: { ...base, kind: "dynamodb-stream", target: target.functionName } as const,
  }));
  const routes = targets.routes.map((target) => ({
    path: `${target.functionName}/${routeFileName(target.routeKey)}.json`,
    functionName: target.functionName,
    request: {
      ...base,
      kind: "http",
      target: target.functionName,
      route: target.routeKey,
    } as const,
  }));
  return [...kafka, ...streams, ...routes];
};

/** The event of a shipped sample, as its file holds it. */
export const sampleFileEvent = (wiring: SystemWiring, file: SampleFile): unknown =>
  sampleEvent(wiring, file.request, SHIPPED_SAMPLE_PLACE);
