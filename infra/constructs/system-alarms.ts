/**
 * The alarms of the system, derived from what is deployed, so a new consumer in the
 * declaration gets its alarms with no other change:
 *
 * | alarm | per | fires when |
 * |---|---|---|
 * | errors, throttles | function | any in 5 minutes |
 * | consumer lag | Kafka mapping | `OffsetLag` above 1,000 records for 5 minutes (outlasts poller scaling, ~3 min) |
 * | stream iterator age | stream mapping | oldest record older than 60 s for 5 minutes |
 * | dead letters | function writing a `<topic>.dlq` | any record dead-lettered in 5 minutes |
 * | parked outbox items | stream mapping's function (the relay) | any item parked in S3 in 5 minutes |
 * | on-failure deliveries | mapping with an on-failure destination | any record discarded to it |
 * | relay destination failures | stream mapping | a failed batch could not be written to S3 |
 * | API 5xx | HTTP API | 5 or more server errors in 5 minutes |
 *
 * Every alarm notifies one SNS topic (TLS-only); `alarmEmail` subscribes an address to it.
 *
 * @example
 * ```ts
 * const alarms = new SystemAlarms(this, "Alarms", { functions, kafkaMappings, streamMappings, api });
 * alarms.all; // for the dashboard
 * ```
 */
import * as cloudwatch from "aws-cdk-lib/aws-cloudwatch";
import * as actions from "aws-cdk-lib/aws-cloudwatch-actions";
import * as sns from "aws-cdk-lib/aws-sns";
import * as subscriptions from "aws-cdk-lib/aws-sns-subscriptions";
import { Construct } from "constructs";
import { deadLetterTopicsOf } from "./declaration-queries";
import type { DeclaredFunction } from "./declared-function";
import type { KafkaEventSourceMapping } from "./kafka-event-source-mapping";
import type { OrdersHttpApi } from "./orders-http-api";
import type { StreamEventSourceMapping } from "./stream-event-source-mapping";
import {
  deadLettered,
  destinationDeliveryFailures,
  errors,
  iteratorAge,
  offsetLag,
  onFailureDeliveries,
  throttles,
} from "./system-metrics";

export const ALARM_THRESHOLDS = {
  offsetLagRecords: 1_000,
  iteratorAgeMs: 60_000,
  apiServerErrors: 5,
  /** Consecutive one-minute periods for lag and age: longer than a poller scale-up. */
  lagMinutes: 5,
} as const;

export interface MappedFunction<M> {
  readonly fn: DeclaredFunction;
  readonly mapping: M;
}

export interface SystemAlarmsProps {
  readonly functions: readonly DeclaredFunction[];
  readonly kafkaMappings: readonly MappedFunction<KafkaEventSourceMapping>[];
  readonly streamMappings: readonly MappedFunction<StreamEventSourceMapping>[];
  readonly api: OrdersHttpApi;
  readonly alarmEmail: string | undefined;
}

/** The service name a function's metrics carry: its Powertools service, else its name. */
export const serviceNameOf = (fn: DeclaredFunction): string =>
  fn.declaration.environment.POWERTOOLS_SERVICE_NAME ?? fn.declaration.name;

export class SystemAlarms extends Construct {
  readonly topic: sns.Topic;
  readonly all: cloudwatch.Alarm[] = [];

  constructor(scope: Construct, id: string, props: SystemAlarmsProps) {
    super(scope, id);
    this.topic = new sns.Topic(this, "Topic", {
      displayName: "Order events alarms",
      enforceSSL: true,
    });
    if (props.alarmEmail !== undefined) {
      this.topic.addSubscription(new subscriptions.EmailSubscription(props.alarmEmail));
    }

    for (const fn of props.functions) {
      const name = fn.declaration.name;
      this.anyIn(`${name}-errors`, errors(fn.function), `${name} failed invocations`);
      this.anyIn(`${name}-throttles`, throttles(fn.function), `${name} throttled invocations`);
      if (deadLetterTopicsOf(fn.declaration).length > 0) {
        this.anyIn(
          `${name}-dead-letters`,
          deadLettered(serviceNameOf(fn)),
          `${name} parked poison records in its dead-letter topic`,
        );
      }
    }

    for (const { fn, mapping } of props.kafkaMappings) {
      const name = fn.declaration.name;
      this.above(
        `${name}-offset-lag`,
        offsetLag(fn.function),
        ALARM_THRESHOLDS.offsetLagRecords,
        ALARM_THRESHOLDS.lagMinutes,
        `${name} (group ${mapping.trigger.consumerGroupId}) is falling behind its topic`,
      );
      if (mapping.trigger.mode.kind === "provisioned") {
        this.anyIn(
          `${name}-on-failure`,
          onFailureDeliveries(mapping.mapping.eventSourceMappingId),
          `${name} discarded records to ${mapping.trigger.mode.onFailureTopic} after retries`,
        );
      }
    }

    for (const { fn, mapping } of props.streamMappings) {
      const name = fn.declaration.name;
      this.above(
        `${name}-iterator-age`,
        iteratorAge(fn.function),
        ALARM_THRESHOLDS.iteratorAgeMs,
        ALARM_THRESHOLDS.lagMinutes,
        `${name} is falling behind the ${mapping.trigger.table} table's stream`,
      );
      this.anyIn(
        `${name}-on-failure`,
        onFailureDeliveries(mapping.mapping.eventSourceMappingId),
        `${name} gave up on stream records and wrote them to S3`,
      );
      // The relay parks poison items in S3 and counts them in the same metric as consumers.
      this.anyIn(
        `${name}-dead-letters`,
        deadLettered(serviceNameOf(fn)),
        `${name} parked poison outbox items in its dead-letter bucket`,
      );
      this.anyIn(
        `${name}-destination-failures`,
        destinationDeliveryFailures(fn.function),
        `${name} could not write a failed batch to its on-failure bucket`,
      );
    }

    this.above(
      "api-server-errors",
      props.api.stage.metricServerError({ statistic: cloudwatch.Stats.SUM }),
      ALARM_THRESHOLDS.apiServerErrors - 1,
      1,
      "The HTTP API answered with 5xx errors",
    );
  }

  /** Fires on any occurrence in one period. */
  private anyIn(id: string, metric: cloudwatch.IMetric, description: string): void {
    this.above(id, metric, 0, 1, description);
  }

  private above(
    id: string,
    metric: cloudwatch.IMetric,
    threshold: number,
    periods: number,
    description: string,
  ): void {
    const alarm = new cloudwatch.Alarm(this, id, {
      metric,
      threshold,
      evaluationPeriods: periods,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      alarmDescription: description,
    });
    alarm.addAlarmAction(new actions.SnsAction(this.topic));
    alarm.addOkAction(new actions.SnsAction(this.topic));
    this.all.push(alarm);
  }
}
