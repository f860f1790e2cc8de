/**
 * The MSK event source mapping of one Kafka trigger, built from the declaration: topic,
 * consumer group, value filter, batch size and window, starting position, and the mode.
 * Provisioned mode adds the poller range, bounded retries, a maximum record age, bisection,
 * partial batch responses (`ReportBatchItemFailures`), a Kafka on-failure topic and the
 * mapping's event-count metrics (for the on-failure alarm). On-demand mode has none of
 * these: Lambda retries a failing batch until it succeeds or its records expire.
 *
 * The L2 `EventSourceMapping` is used rather than `ManagedKafkaEventSource`, which would attach
 * `AWSLambdaMSKExecutionRole` (all resources) and still not grant the Kafka data plane; the
 * function's role gets exact grants instead (see `function-permissions.ts`).
 *
 * @example
 * ```ts
 * new KafkaEventSourceMapping(this, "Mapping", { fn, trigger, clusterArn });
 * ```
 */
import { Duration } from "aws-cdk-lib";
import * as lambda from "aws-cdk-lib/aws-lambda";
import { KafkaDlq } from "aws-cdk-lib/aws-lambda-event-sources";
import { Construct } from "constructs";
import { refuseInvalidMapping } from "../wiring/mapping-limits";
import type { KafkaTrigger } from "../wiring/types";
import type { DeclaredFunction } from "./declared-function";
import { filterCriteria } from "./filter-criteria";

export interface KafkaEventSourceMappingProps {
  readonly fn: DeclaredFunction;
  readonly trigger: KafkaTrigger;
  readonly clusterArn: string;
}

const provisionedModeProps = (trigger: KafkaTrigger) => {
  const { mode } = trigger;
  if (mode.kind !== "provisioned") return {};
  return {
    provisionedPollerConfig: {
      minimumPollers: mode.minimumPollers,
      maximumPollers: mode.maximumPollers,
    },
    retryAttempts: mode.retryAttempts,
    maxRecordAge: Duration.seconds(mode.maximumRecordAgeSeconds),
    bisectBatchOnError: mode.bisectBatchOnError,
    reportBatchItemFailures: mode.reportBatchItemFailures,
    onFailure: new KafkaDlq(mode.onFailureTopic),
    metricsConfig: { metrics: [lambda.MetricType.EVENT_COUNT] },
  };
};

export class KafkaEventSourceMapping extends Construct {
  readonly mapping: lambda.EventSourceMapping;
  readonly trigger: KafkaTrigger;

  constructor(scope: Construct, id: string, props: KafkaEventSourceMappingProps) {
    refuseInvalidMapping(props.trigger);
    super(scope, id);
    const { fn, trigger } = props;
    this.trigger = trigger;
    this.mapping = new lambda.EventSourceMapping(this, "Resource", {
      target: fn.function,
      eventSourceArn: props.clusterArn,
      kafkaTopic: trigger.topic,
      kafkaConsumerGroupId: trigger.consumerGroupId,
      startingPosition: lambda.StartingPosition[trigger.startingPosition],
      batchSize: trigger.batchSize,
      maxBatchingWindow: Duration.seconds(trigger.maximumBatchingWindowSeconds),
      filters: filterCriteria(trigger.filters),
      ...provisionedModeProps(trigger),
    });
    // Lambda checks the role when it creates the mapping: the grants must exist first.
    this.mapping.node.addDependency(fn.role);
  }
}
