/**
 * The least-privilege IAM statements of one function, derived from its declaration: exactly
 * the item actions it declares on exactly its tables (and `kms:Decrypt` of their key, only
 * through DynamoDB), exactly its declared S3 actions on exactly its buckets, and exact `kafka-cluster:*` actions on the
 * exact cluster, topic and group ARNs (CDK adds none of these for MSK event sources). Also
 * what Lambda itself needs on the function's behalf: reading the stream of a stream trigger
 * and writing its on-failure bucket; for an MSK trigger, describing the cluster, network
 * interfaces for its pollers, and writing the Kafka on-failure topic.
 *
 * `*` resources appear only for actions that have no resource-level permissions
 * (`ec2:Describe*`) or that Lambda checks unscoped (network interfaces of VPC functions).
 *
 * @example
 * ```ts
 * for (const statement of functionPermissions(fn, targets)) role.addToPrincipalPolicy(statement);
 * ```
 */
import { Aws } from "aws-cdk-lib";
import * as iam from "aws-cdk-lib/aws-iam";
import type { FunctionDeclaration, KafkaTopicReads, TableAction } from "../wiring/types";
import {
  bucketActionsOf,
  connectsToBrokers,
  kafkaTriggerOf,
  objectActionsOf,
  streamTriggerOf,
} from "./declaration-queries";
import type { KafkaResourceArns } from "./kafka-resource-arns";

export interface PermissionTargets {
  readonly tableArn: (logicalName: string) => string;
  readonly tableStreamArn: (logicalName: string) => string;
  readonly bucketArn: (logicalName: string) => string;
  /** The customer managed key of the tables (and their streams). */
  readonly tableKeyArn: string;
  readonly kafka: KafkaResourceArns;
  readonly logGroupArn: string;
}

/** The IAM actions of a function's declared table actions, once each, in declared order. */
export const tableIamActions = (actions: readonly TableAction[]): string[] => [
  ...new Set(actions.map((action) => `dynamodb:${action}`)),
];

export const STREAM_READ_ACTIONS = [
  "dynamodb:DescribeStream",
  "dynamodb:GetRecords",
  "dynamodb:GetShardIterator",
  "dynamodb:ListStreams",
] as const;

/** Network interfaces of a function in a VPC (what AWSLambdaVPCAccessExecutionRole grants). */
export const VPC_FUNCTION_ACTIONS = [
  "ec2:CreateNetworkInterface",
  "ec2:DescribeNetworkInterfaces",
  "ec2:DescribeSubnets",
  "ec2:DeleteNetworkInterface",
  "ec2:AssignPrivateIpAddresses",
  "ec2:UnassignPrivateIpAddresses",
] as const;

/** Network interfaces of an MSK event source mapping's pollers (AWSLambdaMSKExecutionRole). */
export const MSK_POLLER_NETWORK_ACTIONS = [
  "ec2:CreateNetworkInterface",
  "ec2:DescribeNetworkInterfaces",
  "ec2:DescribeVpcs",
  "ec2:DeleteNetworkInterface",
  "ec2:DescribeSubnets",
  "ec2:DescribeSecurityGroups",
] as const;

const statement = (sid: string, actions: readonly string[], resources: readonly string[]) =>
  new iam.PolicyStatement({ sid, actions: [...actions], resources: [...resources] });

const tableStatements = (fn: FunctionDeclaration, targets: PermissionTargets) =>
  (fn.access.tables ?? []).map((access, index) =>
    statement(`Table${index}`, tableIamActions(access.actions), [targets.tableArn(access.table)]),
  );

/**
 * DynamoDB decrypts a table's key with the caller's permissions (and caches it per caller for
 * five minutes), for table items and stream records alike; creating the table's key and grants
 * is CloudFormation's part. So every function that uses a table, or whose mapping reads a
 * stream, may decrypt with the tables' key, and only through DynamoDB.
 */
const tableKeyStatements = (fn: FunctionDeclaration, targets: PermissionTargets) =>
  (fn.access.tables ?? []).length > 0 || streamTriggerOf(fn) !== undefined
    ? [
        new iam.PolicyStatement({
          sid: "TableKeyThroughDynamoDb",
          actions: ["kms:Decrypt"],
          resources: [targets.tableKeyArn],
          conditions: {
            StringEquals: { "kms:ViaService": `dynamodb.${Aws.REGION}.amazonaws.com` },
          },
        }),
      ]
    : [];

/**
 * Per bucket, its object actions on its objects and `s3:ListBucket` on the bucket: what the
 * function's code does there, and what its stream mapping does for it (`bucketActionsOf`).
 */
const bucketStatements = (fn: FunctionDeclaration, targets: PermissionTargets) =>
  [...bucketActionsOf(fn)].flatMap(([bucket, actions], index) => {
    const arn = targets.bucketArn(bucket);
    const objectActions = objectActionsOf(actions);
    return [
      ...(objectActions.length > 0
        ? [
            statement(
              `Bucket${index}Objects`,
              objectActions.map((action) => `s3:${action}`),
              [`${arn}/*`],
            ),
          ]
        : []),
      ...(actions.has("ListBucket")
        ? [statement(`Bucket${index}List`, ["s3:ListBucket"], [arn])]
        : []),
    ];
  });

const KAFKA_READ_TOPIC_ACTIONS = ["kafka-cluster:DescribeTopic", "kafka-cluster:ReadData"];
const KAFKA_WRITE_TOPIC_ACTIONS = ["kafka-cluster:DescribeTopic", "kafka-cluster:WriteData"];

/** The consumer groups a function's own reads create: every group named with their prefix. */
export const readerGroupsName = (reads: KafkaTopicReads): string => `${reads.consumerGroupPrefix}*`;

/** The cluster actions: producing idempotently, connecting, and the mapping's describes. */
const kafkaClusterActions = (fn: FunctionDeclaration): Set<string> => {
  const actions = new Set<string>();
  if ((fn.access.kafka?.produceTo ?? []).length > 0) {
    actions.add("kafka-cluster:Connect").add("kafka-cluster:WriteDataIdempotently");
  }
  if (fn.access.kafka?.read !== undefined) actions.add("kafka-cluster:Connect");
  if (kafkaTriggerOf(fn) !== undefined) {
    actions
      .add("kafka:DescribeClusterV2")
      .add("kafka:GetBootstrapBrokers")
      .add("kafka-cluster:Connect");
  }
  return actions;
};

/**
 * The consumer groups: the mapping's own group, and the groups the function's own reads
 * create and delete, named by their declared prefix.
 */
const kafkaGroupStatements = (fn: FunctionDeclaration, { kafka }: PermissionTargets) => {
  const trigger = kafkaTriggerOf(fn);
  const reads = fn.access.kafka?.read;
  return [
    ...(trigger === undefined
      ? []
      : [
          statement(
            "KafkaConsumerGroup",
            ["kafka-cluster:DescribeGroup", "kafka-cluster:AlterGroup"],
            [kafka.group(trigger.consumerGroupId)],
          ),
        ]),
    ...(reads === undefined
      ? []
      : [
          statement(
            "KafkaReaderGroups",
            [
              "kafka-cluster:DescribeGroup",
              "kafka-cluster:AlterGroup",
              "kafka-cluster:DeleteGroup",
            ],
            [kafka.group(readerGroupsName(reads))],
          ),
        ]),
  ];
};

/**
 * Kafka grants, for the function's own producer and reader and for its MSK event source
 * mapping (which consumes, commits offsets and writes the on-failure topic with the
 * function's role).
 */
const kafkaStatements = (fn: FunctionDeclaration, targets: PermissionTargets) => {
  const { kafka } = targets;
  const trigger = kafkaTriggerOf(fn);
  const clusterActions = kafkaClusterActions(fn);
  const readTopics = new Set<string>(fn.access.kafka?.read?.topics ?? []);
  const writeTopics = new Set<string>(fn.access.kafka?.produceTo ?? []);
  if (trigger !== undefined) {
    for (const topic of [trigger.topic, ...(fn.access.kafka?.consumeFrom ?? [])]) {
      readTopics.add(topic);
    }
    if (trigger.mode.kind === "provisioned") writeTopics.add(trigger.mode.onFailureTopic);
  }
  const topicArns = (topics: Set<string>) => [...topics].map((topic) => kafka.topic(topic));
  return [
    ...(clusterActions.size > 0
      ? [statement("KafkaCluster", [...clusterActions], [kafka.cluster])]
      : []),
    ...(readTopics.size > 0
      ? [statement("KafkaReadTopics", KAFKA_READ_TOPIC_ACTIONS, topicArns(readTopics))]
      : []),
    ...(writeTopics.size > 0
      ? [statement("KafkaWriteTopics", KAFKA_WRITE_TOPIC_ACTIONS, topicArns(writeTopics))]
      : []),
    ...kafkaGroupStatements(fn, targets),
  ];
};

/** Network interfaces: the function's own in the VPC, and its MSK mapping pollers'. */
const networkStatements = (fn: FunctionDeclaration) => {
  const actions = new Set<string>([
    ...(connectsToBrokers(fn) ? VPC_FUNCTION_ACTIONS : []),
    ...(kafkaTriggerOf(fn) === undefined ? [] : MSK_POLLER_NETWORK_ACTIONS),
  ]);
  return actions.size === 0 ? [] : [statement("NetworkInterfaces", [...actions], ["*"])];
};

/** The DynamoDB Streams event source mapping reads the stream with the function's role. */
const streamStatements = (fn: FunctionDeclaration, targets: PermissionTargets) => {
  const trigger = streamTriggerOf(fn);
  return trigger === undefined
    ? []
    : [statement("StreamRead", STREAM_READ_ACTIONS, [targets.tableStreamArn(trigger.table)])];
};

export const functionPermissions = (
  fn: FunctionDeclaration,
  targets: PermissionTargets,
): iam.PolicyStatement[] => [
  statement("Logs", ["logs:CreateLogStream", "logs:PutLogEvents"], [targets.logGroupArn]),
  ...tableStatements(fn, targets),
  ...tableKeyStatements(fn, targets),
  ...bucketStatements(fn, targets),
  ...kafkaStatements(fn, targets),
  ...streamStatements(fn, targets),
  ...networkStatements(fn),
];
