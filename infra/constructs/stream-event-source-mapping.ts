/**
 * The DynamoDB Streams event source mapping of the outbox relay, built from the declaration:
 * outbox-INSERT filter, batch size and window, retry attempts (-1: unlimited, until the
 * records reach their maximum age) and record age, bisection as declared, partial batch
 * responses, parallelization factor 1 (one order's events stay in order), an S3 on-failure
 * destination that receives the whole failed batch, and the mapping's event-count metrics
 * (for the on-failure alarm).
 *
 * @example
 * ```ts
 * new StreamEventSourceMapping(this, "Mapping", { fn, trigger, streamArn, onFailureBucketArn });
 * ```
 */
import { Duration } from "aws-cdk-lib";
import * as lambda from "aws-cdk-lib/aws-lambda";
import { Construct } from "constructs";
import { refuseInvalidMapping } from "../wiring/mapping-limits";
import type { StreamTrigger } from "../wiring/types";
import type { DeclaredFunction } from "./declared-function";
import { filterCriteria } from "./filter-criteria";

export interface StreamEventSourceMappingProps {
  readonly fn: DeclaredFunction;
  readonly trigger: StreamTrigger;
  readonly streamArn: string;
  readonly onFailureBucketArn: string;
}

/** The bucket as destination; the function's role already holds the exact S3 grants. */
const s3OnFailure = (bucketArn: string): lambda.IEventSourceDlq => ({
  bind: () => ({ destination: bucketArn }),
});

export class StreamEventSourceMapping extends Construct {
  readonly mapping: lambda.EventSourceMapping;
  readonly trigger: StreamTrigger;

  constructor(scope: Construct, id: string, props: StreamEventSourceMappingProps) {
    refuseInvalidMapping(props.trigger);
    super(scope, id);
    const { fn, trigger } = props;
    this.trigger = trigger;
    this.mapping = new lambda.EventSourceMapping(this, "Resource", {
      target: fn.function,
      eventSourceArn: props.streamArn,
      startingPosition: lambda.StartingPosition[trigger.startingPosition],
      batchSize: trigger.batchSize,
      maxBatchingWindow: Duration.seconds(trigger.maximumBatchingWindowSeconds),
      filters: filterCriteria(trigger.filters),
      // As declared, -1 included, so the template states the limit rather than leaving it to
      // Lambda's default.
      retryAttempts: trigger.retryAttempts,
      maxRecordAge: Duration.seconds(trigger.maximumRecordAgeSeconds),
      bisectBatchOnError: trigger.bisectBatchOnError,
      reportBatchItemFailures: trigger.reportBatchItemFailures,
      parallelizationFactor: trigger.parallelizationFactor,
      onFailure: s3OnFailure(props.onFailureBucketArn),
      metricsConfig: { metrics: [lambda.MetricType.EVENT_COUNT] },
    });
    // Lambda checks the role when it creates the mapping: the grants must exist first.
    this.mapping.node.addDependency(fn.role);
  }
}
