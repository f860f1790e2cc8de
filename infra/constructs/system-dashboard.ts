/**
 * One CloudWatch dashboard for the whole flow, top to bottom as an order travels: the API,
 * the relay's stream, the consumers' lag, failures (errors, throttles, dead letters,
 * on-failure deliveries), then the state of every alarm.
 *
 * @example
 * ```ts
 * new SystemDashboard(this, "Dashboard", { functions, kafkaMappings, streamMappings, api, alarms });
 * ```
 */
import { Duration } from "aws-cdk-lib";
import * as cloudwatch from "aws-cdk-lib/aws-cloudwatch";
import { Construct } from "constructs";
import { deadLetterTopicsOf } from "./declaration-queries";
import type { DeclaredFunction } from "./declared-function";
import type { KafkaEventSourceMapping } from "./kafka-event-source-mapping";
import type { OrdersHttpApi } from "./orders-http-api";
import type { StreamEventSourceMapping } from "./stream-event-source-mapping";
import { type MappedFunction, type SystemAlarms, serviceNameOf } from "./system-alarms";
import {
  deadLettered,
  errors,
  iteratorAge,
  offsetLag,
  onFailureDeliveries,
  throttles,
} from "./system-metrics";

export interface SystemDashboardProps {
  readonly functions: readonly DeclaredFunction[];
  readonly kafkaMappings: readonly MappedFunction<KafkaEventSourceMapping>[];
  readonly streamMappings: readonly MappedFunction<StreamEventSourceMapping>[];
  readonly api: OrdersHttpApi;
  readonly alarms: SystemAlarms;
}

const WIDTH = 12;
const HEIGHT = 6;

const graph = (title: string, left: cloudwatch.IMetric[]) =>
  new cloudwatch.GraphWidget({ title, left, width: WIDTH, height: HEIGHT });

const labelled = (metric: cloudwatch.Metric, label: string) => metric.with({ label });

export class SystemDashboard extends Construct {
  readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: SystemDashboardProps) {
    super(scope, id);
    const { stage } = props.api;
    const nameOf = (fn: DeclaredFunction) => fn.declaration.name;
    const mappedWithOnFailure = [
      ...props.kafkaMappings
        .filter(({ mapping }) => mapping.trigger.mode.kind === "provisioned")
        .map(({ fn, mapping }) => ({ fn, id: mapping.mapping.eventSourceMappingId })),
      ...props.streamMappings.map(({ fn, mapping }) => ({
        fn,
        id: mapping.mapping.eventSourceMappingId,
      })),
    ];

    this.dashboard = new cloudwatch.Dashboard(this, "Dashboard", {
      defaultInterval: Duration.hours(3),
      widgets: [
        [
          graph("HTTP API requests and errors", [
            labelled(stage.metricCount({ statistic: cloudwatch.Stats.SUM }), "requests"),
            labelled(stage.metricClientError({ statistic: cloudwatch.Stats.SUM }), "4xx"),
            labelled(stage.metricServerError({ statistic: cloudwatch.Stats.SUM }), "5xx"),
          ]),
          graph("HTTP API latency (p90)", [
            labelled(stage.metricLatency({ statistic: cloudwatch.Stats.p(90) }), "latency"),
          ]),
        ],
        [
          graph(
            "Outbox stream iterator age (ms)",
            props.streamMappings.map(({ fn }) => labelled(iteratorAge(fn.function), nameOf(fn))),
          ),
          graph(
            "Consumer offset lag (records)",
            props.kafkaMappings.map(({ fn }) => labelled(offsetLag(fn.function), nameOf(fn))),
          ),
        ],
        [
          graph(
            "Function errors",
            props.functions.map((fn) => labelled(errors(fn.function), nameOf(fn))),
          ),
          graph(
            "Function throttles",
            props.functions.map((fn) => labelled(throttles(fn.function), nameOf(fn))),
          ),
        ],
        [
          graph(
            "Records dead-lettered (<topic>.dlq)",
            props.functions
              .filter((fn) => deadLetterTopicsOf(fn.declaration).length > 0)
              .map((fn) => labelled(deadLettered(serviceNameOf(fn)), nameOf(fn))),
          ),
          graph(
            "Records discarded to on-failure destinations",
            mappedWithOnFailure.map(({ fn, id }) => labelled(onFailureDeliveries(id), nameOf(fn))),
          ),
        ],
        [
          new cloudwatch.AlarmStatusWidget({
            title: "Alarms",
            alarms: props.alarms.all,
            width: 2 * WIDTH,
            height: HEIGHT,
          }),
        ],
      ],
    });
  }
}
