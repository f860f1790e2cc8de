/**
 * What Lambda refuses when an event source mapping is created (see docs/architecture.md, "Lambda event sources"), checked by CDK
 * before it synthesizes a mapping and by the local runtime before it runs one, so neither
 * accepts a trigger AWS would reject: at
 * most 5 filter patterns Lambda understands, a batch size of 1 to 10,000, a batching window
 * of 0 to 300 s, and a Kafka on-failure topic that is not the source topic.
 *
 * @example
 * ```ts
 * refuseInvalidMapping(trigger); // throws InvalidEventSourceMappingError, every issue at once
 * ```
 */
import { InvalidFilterPatternsError, validateFilterPatterns } from "./filter-pattern-rules";
import type { KafkaTrigger, StreamTrigger } from "./types";

export const MAX_BATCH_SIZE = 10_000;
export const MAX_BATCHING_WINDOW_SECONDS = 300;

export class InvalidEventSourceMappingError extends Error {
  override readonly name = "InvalidEventSourceMappingError";

  constructor(readonly issues: readonly string[]) {
    super(`Lambda would refuse this event source mapping: ${issues.join("; ")}`);
  }
}

const filterIssues = (trigger: KafkaTrigger | StreamTrigger): readonly string[] => {
  try {
    validateFilterPatterns(trigger.filters);
    return [];
  } catch (error) {
    if (error instanceof InvalidFilterPatternsError) return error.issues;
    throw error;
  }
};

export const refuseInvalidMapping = (trigger: KafkaTrigger | StreamTrigger): void => {
  const issues = [...filterIssues(trigger)];
  const { batchSize, maximumBatchingWindowSeconds: window } = trigger;
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > MAX_BATCH_SIZE) {
    issues.push(`batch size ${batchSize} is not a whole number from 1 to ${MAX_BATCH_SIZE}`);
  }
  if (!(window >= 0 && window <= MAX_BATCHING_WINDOW_SECONDS)) {
    issues.push(`batching window ${window} s is not from 0 to ${MAX_BATCHING_WINDOW_SECONDS} s`);
  }
  if (
    trigger.kind === "kafka" &&
    trigger.mode.kind === "provisioned" &&
    trigger.mode.onFailureTopic === trigger.topic
  ) {
    issues.push(`the on-failure topic ${trigger.topic} is the source topic`);
  }
  if (issues.length > 0) throw new InvalidEventSourceMappingError(issues);
};
