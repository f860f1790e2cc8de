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
import type {
  BucketAction,
  FunctionDeclaration,
  KafkaTrigger,
  StreamTrigger,
} from "../wiring/types";

/**
 * Functions that open Kafka connections themselves (to produce, or to read topics with their
 * own consumer); consuming through a trigger is the mapping's job.
 */
export const connectsToBrokers = (fn: FunctionDeclaration): boolean =>
  (fn.access.kafka?.produceTo ?? []).length > 0 || fn.access.kafka?.read !== undefined;

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

/** The S3 actions that apply to a bucket's objects (all but `ListBucket`, on the bucket). */
export const objectActionsOf = (actions: Iterable<BucketAction>): BucketAction[] =>
  [...actions].filter((action) => action !== "ListBucket");

/**
 * Each bucket the function or its stream mapping uses, with the S3 actions performed there:
 * the declared ones, and for a stream mapping's on-failure bucket what Lambda does with the
 * function's role (writes failed batches as new objects; lists the bucket to check it exists).
 */
export const bucketActionsOf = (fn: FunctionDeclaration): Map<string, Set<BucketAction>> => {
  const granted = new Map<string, Set<BucketAction>>();
  const grant = (bucket: string, actions: readonly BucketAction[]) => {
    const set = granted.get(bucket) ?? new Set<BucketAction>();
    for (const action of actions) set.add(action);
    granted.set(bucket, set);
  };
  for (const access of fn.access.buckets ?? []) grant(access.bucket, access.actions);
  const onFailureBucket = streamTriggerOf(fn)?.onFailure.bucket;
  if (onFailureBucket !== undefined) grant(onFailureBucket, ["PutObject", "ListBucket"]);
  return granted;
};

/** Every topic a function or its mapping reads or writes. */
export const topicsReferencedBy = (fn: FunctionDeclaration): string[] => {
  const trigger = kafkaTriggerOf(fn);
  return [
    ...new Set([
      ...(fn.access.kafka?.consumeFrom ?? []),
      ...(fn.access.kafka?.produceTo ?? []),
      ...(fn.access.kafka?.read?.topics ?? []),
      ...(trigger === undefined ? [] : [trigger.topic]),
      ...(trigger?.mode.kind === "provisioned" ? [trigger.mode.onFailureTopic] : []),
    ]),
  ];
};
