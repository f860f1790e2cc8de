/**
 * The declared topics, created by CloudFormation (`AWS::MSK::Topic`) in the cluster with the
 * configs they declare (`topicConfigs`), since automatic topic creation is off on MSK as it is
 * locally. Replication follows the cluster's size: three replicas (two in sync) when there are
 * three brokers or more, otherwise one per broker with one in sync, so producers with
 * `acks=all` keep working while MSK patches a broker.
 *
 * @example
 * ```ts
 * new MskTopics(this, "Topics", { clusterArn, brokerCount: 2, topics: systemWiring.topics });
 * topicSettings({ name: "t", partitions: 6, retentionHours: 168 }, 3).configs;
 * // base64 of {"retention.ms":"604800000","min.insync.replicas":"2"}
 * ```
 */
import * as msk from "aws-cdk-lib/aws-msk";
import { Construct } from "constructs";
import { topicConfigs } from "../wiring/topic-configs";
import type { TopicDeclaration } from "../wiring/types";

export interface TopicSettings {
  readonly replicationFactor: number;
  /** Base64 of a JSON object of Kafka topic configs, as `AWS::MSK::Topic` expects. */
  readonly configs: string;
}

const MAX_REPLICATION_FACTOR = 3;

export const topicSettings = (topic: TopicDeclaration, brokerCount: number): TopicSettings => {
  const replicationFactor = Math.min(MAX_REPLICATION_FACTOR, brokerCount);
  const configs = {
    ...topicConfigs(topic),
    "min.insync.replicas": String(replicationFactor >= MAX_REPLICATION_FACTOR ? 2 : 1),
  };
  return {
    replicationFactor,
    configs: Buffer.from(JSON.stringify(configs), "utf8").toString("base64"),
  };
};

export interface MskTopicsProps {
  readonly clusterArn: string;
  readonly brokerCount: number;
  readonly topics: readonly TopicDeclaration[];
}

export class MskTopics extends Construct {
  constructor(scope: Construct, id: string, props: MskTopicsProps) {
    super(scope, id);
    for (const topic of props.topics) {
      const settings = topicSettings(topic, props.brokerCount);
      new msk.CfnTopic(this, topic.name, {
        clusterArn: props.clusterArn,
        topicName: topic.name,
        partitionCount: topic.partitions,
        replicationFactor: settings.replicationFactor,
        configs: settings.configs,
      });
    }
  }
}
