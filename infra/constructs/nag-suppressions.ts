/**
 * Every cdk-nag (AwsSolutions) acknowledgment of the system, each with the reason it is
 * acceptable, on the exact construct and for the exact finding (cdk-nag 3 acknowledges
 * findings one by one through CDK's `Validations`, e.g. `AwsSolutions-IAM5[Resource::*]`).
 *
 * @example
 * ```ts
 * suppressPlatformFindings(platformStack);
 * suppressApplicationFindings({ functions, buckets, api, apiAuthorization: "iam" });
 * ```
 */
import { Stack, Validations } from "aws-cdk-lib";
// cdk-nag's own naming of a resource in a finding (pinned: an internal module).
import { flattenCfnReference } from "cdk-nag/lib/utils/flatten-cfn-reference";
import type { IConstruct } from "constructs";
import type { Buckets } from "./buckets";
import {
  bucketActionsOf,
  connectsToBrokers,
  kafkaTriggerOf,
  objectActionsOf,
} from "./declaration-queries";
import type { DeclaredFunction } from "./declared-function";
import { readerGroupsName } from "./function-permissions";
import type { KafkaResourceArns } from "./kafka-resource-arns";
import type { OrdersHttpApi } from "./orders-http-api";

/** Plugin-qualified id of an AwsSolutions finding, as CDK's validation report names it. */
const finding = (rule: string, detail?: string) =>
  `AwsSolutions::AwsSolutions-${rule}${detail === undefined ? "" : `[${detail}]`}`;

const acknowledge = (scope: IConstruct, id: string, reason: string) =>
  Validations.of(scope).acknowledge({ id, reason });

/** CDK's singleton function behind every `AwsCustomResource` of a stack. */
const AWS_CUSTOM_RESOURCE_PROVIDER_ID = "AWS679f53fac002430cb0da5b7982bd2287";

export const suppressPlatformFindings = (stack: Stack): void => {
  const provider = stack.node.tryFindChild(AWS_CUSTOM_RESOURCE_PROVIDER_ID);
  if (provider !== undefined) {
    acknowledge(
      provider,
      finding(
        "IAM4",
        "Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
      ),
      "CDK's AwsCustomResource provider runs only during deployments (to read the cluster's " +
        "bootstrap brokers); the managed policy only lets it write its own logs. Its API " +
        "permission is the exact kafka:GetBootstrapBrokers on the one cluster.",
    );
  }
};

export interface ApplicationFindings {
  readonly functions: readonly DeclaredFunction[];
  readonly buckets: Buckets;
  readonly kafkaArns: KafkaResourceArns;
  readonly api: OrdersHttpApi;
  readonly apiAuthorization: "iam" | "none";
}

/** Why a function's role holds statements on `*`: only actions without resource scoping. */
const unscopedActionsReason = (fn: DeclaredFunction): string => {
  const reasons = [
    "xray:PutTraceSegments and xray:PutTelemetryRecords (active tracing) support no resource-level permissions",
  ];
  if (connectsToBrokers(fn.declaration)) {
    reasons.push(
      "Lambda manages the network interfaces of a VPC function with unscoped ec2 actions " +
        "(the documented execution-role permissions; the Describe* actions have no resource type)",
    );
  }
  if (kafkaTriggerOf(fn.declaration) !== undefined) {
    reasons.push(
      "the MSK event source mapping's pollers create and describe network interfaces, " +
        "subnets, security groups and VPCs with unscoped ec2 actions (AWSLambdaMSKExecutionRole's set)",
    );
  }
  return `${reasons.join("; ")}. Every other statement names exact resources.`;
};

/** The IAM5 finding of a wildcard resource, named as cdk-nag names it from the template. */
const wildcardResourceFinding = (scope: IConstruct, resource: string) =>
  finding("IAM5", `Resource::${flattenCfnReference(Stack.of(scope).resolve(resource))}`);

export const suppressApplicationFindings = ({
  functions,
  buckets,
  kafkaArns,
  api,
  apiAuthorization,
}: ApplicationFindings): void => {
  if (apiAuthorization === "none") {
    acknowledge(
      api,
      finding("APIG4"),
      "Opened on purpose with the apiAuthorization=none context switch (a demo deployment); " +
        "stage throttling still bounds the load. The default deployment requires IAM auth.",
    );
  }
  for (const fn of functions) {
    acknowledge(fn.role, finding("IAM5", "Resource::*"), unscopedActionsReason(fn));

    for (const [name, actions] of bucketActionsOf(fn.declaration)) {
      const objectActions = objectActionsOf(actions);
      if (objectActions.length === 0) continue;
      acknowledge(
        fn.role,
        wildcardResourceFinding(fn.role, `${buckets.get(name).bucketArn}/*`),
        `Dead letters are objects with keys chosen at run time, so exactly ` +
          `${objectActions.map((action) => `s3:${action}`).join(", ")} ` +
          `are granted on the objects of the "${name}" bucket only.`,
      );
    }
    const reads = fn.declaration.access.kafka?.read;
    if (reads !== undefined) {
      acknowledge(
        fn.role,
        wildcardResourceFinding(fn.role, kafkaArns.group(readerGroupsName(reads))),
        `Each read of a whole topic joins a consumer group of its own (it commits nothing) and ` +
          `deletes it after, so the group actions are granted on the groups named ` +
          `"${readerGroupsName(reads)}" only.`,
      );
    }
  }
};
