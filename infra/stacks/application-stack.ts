/**
 * The application: its customer managed key, tables, the dead-letter bucket, one function per
 * declared function, one event source mapping per declared trigger, the HTTP API, alarms and
 * a dashboard. Everything is derived from the declaration, so adding a consumer there adds its
 * function, mapping, grants and alarms here with no other change.
 *
 * @example
 * ```ts
 * new ApplicationStack(app, "OrderEventsApplication", { wiring, settings, kafka: platform.kafka });
 * ```
 */
import { CfnOutput, Stack, type StackProps } from "aws-cdk-lib";
import type { Construct } from "constructs";
import { Buckets } from "../constructs/buckets";
import { applicationDataKey } from "../constructs/data-keys";
import { DataTables } from "../constructs/data-tables";
import {
  kafkaTriggerOf,
  streamTriggerOf,
  topicsReferencedBy,
} from "../constructs/declaration-queries";
import { DeclaredFunction } from "../constructs/declared-function";
import { KafkaEventSourceMapping } from "../constructs/kafka-event-source-mapping";
import { KafkaResourceArns } from "../constructs/kafka-resource-arns";
import { suppressApplicationFindings } from "../constructs/nag-suppressions";
import { OrdersHttpApi } from "../constructs/orders-http-api";
import { StreamEventSourceMapping } from "../constructs/stream-event-source-mapping";
import { type MappedFunction, SystemAlarms } from "../constructs/system-alarms";
import { SystemDashboard } from "../constructs/system-dashboard";
import { UndeclaredResourceError } from "../constructs/undeclared-resource-error";
import { functionEnvironment } from "../wiring/function-environment";
import type { SystemWiring } from "../wiring/types";
import type { DeploymentSettings } from "./deployment-settings";
import type { KafkaPlatform } from "./platform-stack";

/** A function with neither a trigger nor an HTTP route: something invokes it by name. */
const invokedDirectly = (fn: DeclaredFunction): boolean =>
  fn.declaration.trigger === undefined && (fn.declaration.routes ?? []).length === 0;

/** `dead-letters` → `DeadLetters`. */
const pascalCase = (name: string): string =>
  name
    .split(/[^A-Za-z0-9]+/)
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join("");

export interface ApplicationStackProps extends StackProps {
  readonly wiring: SystemWiring;
  readonly settings: DeploymentSettings;
  readonly kafka: KafkaPlatform;
}

export class ApplicationStack extends Stack {
  readonly functions: readonly DeclaredFunction[];

  constructor(scope: Construct, id: string, props: ApplicationStackProps) {
    super(scope, id, props);
    const { wiring, settings, kafka } = props;

    // One customer managed key for the application's data at rest: tables and log groups.
    const dataKey = applicationDataKey(this);
    const tables = new DataTables(this, "Tables", {
      tables: wiring.tables,
      encryptionKey: dataKey,
    });
    const buckets = new Buckets(this, "Buckets", { buckets: wiring.buckets });
    const kafkaArns = new KafkaResourceArns(kafka.clusterArn);
    const streamArnOf = (name: string) => {
      const streamArn = tables.get(name).tableStreamArn;
      if (streamArn === undefined) {
        throw new UndeclaredResourceError(`Table "${name}" has no stream in the declaration`);
      }
      return streamArn;
    };

    const declaredTopics = new Set(wiring.topics.map((topic) => topic.name));
    for (const declaration of wiring.functions) {
      for (const topic of topicsReferencedBy(declaration)) {
        if (!declaredTopics.has(topic)) {
          throw new UndeclaredResourceError(
            `${declaration.name} uses topic "${topic}", which is not declared`,
          );
        }
      }
    }

    const kafkaMappings: MappedFunction<KafkaEventSourceMapping>[] = [];
    const streamMappings: MappedFunction<StreamEventSourceMapping>[] = [];
    this.functions = wiring.functions.map((declaration) => {
      const fn = new DeclaredFunction(this, declaration.name, {
        declaration,
        environment: functionEnvironment(declaration, {
          tableName: (name) => tables.get(name).tableName,
          bucketName: (name) => buckets.get(name).bucketName,
          // MSK serves IAM auth only over TLS.
          kafka: { brokers: kafka.bootstrapBrokers, auth: "iam", tls: true },
        }),
        permissionTargets: {
          tableArn: (name) => tables.get(name).tableArn,
          tableStreamArn: streamArnOf,
          bucketArn: (name) => buckets.get(name).bucketArn,
          tableKeyArn: dataKey.keyArn,
          kafka: kafkaArns,
        },
        kafkaNetwork: { vpc: kafka.vpc, clientSecurityGroup: kafka.clientSecurityGroup },
        logRetention: settings.logRetentionDays,
        logsKey: dataKey,
      });

      const kafkaTrigger = kafkaTriggerOf(declaration);
      if (kafkaTrigger !== undefined) {
        const mapping = new KafkaEventSourceMapping(fn, "KafkaTrigger", {
          fn,
          trigger: kafkaTrigger,
          clusterArn: kafka.clusterArn,
        });
        kafkaMappings.push({ fn, mapping });
      }
      const streamTrigger = streamTriggerOf(declaration);
      if (streamTrigger !== undefined) {
        const mapping = new StreamEventSourceMapping(fn, "StreamTrigger", {
          fn,
          trigger: streamTrigger,
          streamArn: streamArnOf(streamTrigger.table),
          onFailureBucketArn: buckets.get(streamTrigger.onFailure.bucket).bucketArn,
        });
        streamMappings.push({ fn, mapping });
      }
      return fn;
    });

    const api = new OrdersHttpApi(this, "HttpApi", {
      functions: this.functions
        .filter((fn) => (fn.declaration.routes ?? []).length > 0)
        .map((fn) => ({
          name: fn.declaration.name,
          fn: fn.function,
          routes: fn.declaration.routes ?? [],
        })),
      authorization: settings.apiAuthorization,
      rateLimit: settings.apiRateLimit,
      burstLimit: settings.apiBurstLimit,
      logRetention: settings.logRetentionDays,
      logsKey: dataKey,
    });

    const monitored = { functions: this.functions, kafkaMappings, streamMappings, api };
    const alarms = new SystemAlarms(this, "Alarms", {
      ...monitored,
      alarmEmail: settings.alarmEmail,
    });
    const dashboard = new SystemDashboard(this, "Dashboard", { ...monitored, alarms });

    new CfnOutput(this, "HttpApiUrl", { value: api.url });
    new CfnOutput(this, "AlarmTopicArn", { value: alarms.topic.topicArn });
    new CfnOutput(this, "DashboardName", { value: dashboard.dashboard.dashboardName });
    new CfnOutput(this, "DataKeyArn", {
      value: dataKey.keyArn,
      description: "The customer managed key of the tables and the application's log groups",
    });
    for (const declaration of wiring.tables) {
      new CfnOutput(this, `Table-${declaration.name}`, {
        value: tables.get(declaration.name).tableName,
        description: `Physical name of the "${declaration.name}" table`,
      });
    }
    for (const name of wiring.buckets) {
      new CfnOutput(this, `Bucket-${name}`, {
        value: buckets.get(name).bucketName,
        description: `Physical name of the "${name}" bucket`,
      });
    }

    // Functions with no trigger and no route are invoked by operators' tools, which find
    // them by this output (e.g. `DeadLettersFunctionName` for `npm run dead-letters -- --stack`).
    for (const fn of this.functions.filter(invokedDirectly)) {
      new CfnOutput(this, `${pascalCase(fn.declaration.name)}FunctionName`, {
        value: fn.function.functionName,
        description: `The "${fn.declaration.name}" function, invoked directly`,
      });
    }

    suppressApplicationFindings({
      functions: this.functions,
      buckets,
      kafkaArns,
      api,
      apiAuthorization: settings.apiAuthorization,
    });
  }
}
