/**
 * Questions the CDK app asks of one function's declaration, answered in one place so the
 * environment, the network placement, the grants and the alarms agree.
 *
 * @example
 * ```ts
 * if (connectsToBrokers(fn)) placeInVpc(fn);
 * deadLetterTopicsOf(fn); // ["order-events.dlq"] for a consumer of "order-events"
 * ```
 */
import { deadLetterTopic } from "../../shared/dead-letters/constants";
import type { FunctionDeclaration, KafkaTrigger, StreamTrigger } from "../wiring/types";

/** Functions that open Kafka connections themselves (to produce); consuming is the mapping's job. */
export const connectsToBrokers = (fn: FunctionDeclaration): boolean =>
  (fn.access.kafka?.produceTo ?? []).length > 0;

export const kafkaTriggerOf = (fn: FunctionDeclaration): KafkaTrigger | undefined =>
  fn.trigger?.kind === "kafka" ? fn.trigger : undefined;

export const streamTriggerOf = (fn: FunctionDeclaration): StreamTrigger | undefined =>
  fn.trigger?.kind === "dynamodb-stream" ? fn.trigger : undefined;

/** The dead-letter topics a function writes its poison records to. */
export const deadLetterTopicsOf = (fn: FunctionDeclaration): string[] => {
  const produceTo = new Set(fn.access.kafka?.produceTo ?? []);
  return (fn.access.kafka?.consumeFrom ?? [])
    .map(deadLetterTopic)
    .filter((topic) => produceTo.has(topic));
};

/** Buckets that get new objects on the function's behalf: its own, and its stream mapping's on-failure bucket. */
export const bucketsWrittenBy = (fn: FunctionDeclaration): string[] => {
  const onFailureBucket = streamTriggerOf(fn)?.onFailure.bucket;
  return [
    ...new Set([
      ...(fn.access.buckets ?? []).map((access) => access.bucket),
      ...(onFailureBucket === undefined ? [] : [onFailureBucket]),
    ]),
  ];
};

/** Every topic a function or its mapping reads or writes. */
export const topicsReferencedBy = (fn: FunctionDeclaration): string[] => {
  const trigger = kafkaTriggerOf(fn);
  return [
    ...new Set([
      ...(fn.access.kafka?.consumeFrom ?? []),
      ...(fn.access.kafka?.produceTo ?? []),
      ...(trigger === undefined ? [] : [trigger.topic]),
      ...(trigger?.mode.kind === "provisioned" ? [trigger.mode.onFailureTopic] : []),
    ]),
  ];
};
