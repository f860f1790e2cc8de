/**
 * The long-lived half of the system: network, MSK cluster and topics. It changes rarely and
 * takes the longest to create (an MSK cluster needs 20-40 minutes), so it is deployed apart
 * from the application, which changes with every code change.
 *
 * @example
 * ```ts
 * const platform = new PlatformStack(app, "OrderEventsPlatform", { settings, topics });
 * platform.kafka.bootstrapBrokers;
 * ```
 */
import { CfnOutput, Stack, type StackProps } from "aws-cdk-lib";
import type * as ec2 from "aws-cdk-lib/aws-ec2";
import type { Construct } from "constructs";
import { encryptLogGroupWith } from "../constructs/data-keys";
import { MskCluster } from "../constructs/msk-cluster";
import { MskTopics } from "../constructs/msk-topics";
import { suppressPlatformFindings } from "../constructs/nag-suppressions";
import { Network } from "../constructs/network";
import { KAFKA_VERSION } from "../kafka-version";
import type { TopicDeclaration } from "../wiring/types";
import type { DeploymentSettings } from "./deployment-settings";

/** What the application needs from the platform. */
export interface KafkaPlatform {
  readonly vpc: ec2.IVpc;
  /** For functions that connect to the brokers. */
  readonly clientSecurityGroup: ec2.ISecurityGroup;
  readonly clusterArn: string;
  readonly bootstrapBrokers: string;
}

export interface PlatformStackProps extends StackProps {
  readonly settings: DeploymentSettings;
  readonly topics: readonly TopicDeclaration[];
}

export class PlatformStack extends Stack {
  readonly kafka: KafkaPlatform;

  constructor(scope: Construct, id: string, props: PlatformStackProps) {
    super(scope, id, props);
    const { settings } = props;

    const network = new Network(this, "Network", {
      availabilityZones: settings.availabilityZones,
      logRetention: settings.logRetentionDays,
    });
    const cluster = new MskCluster(this, "Kafka", {
      network,
      kafkaVersion: KAFKA_VERSION,
      brokerInstanceType: settings.brokerInstanceType,
      brokersPerAz: settings.brokersPerAz,
      brokerVolumeGiB: settings.brokerVolumeGiB,
      logRetention: settings.logRetentionDays,
    });
    // The platform's one customer managed key, the cluster's, encrypts every platform log group.
    encryptLogGroupWith(network.flowLogs, cluster.dataKey);
    new MskTopics(this, "Topics", {
      clusterArn: cluster.clusterArn,
      brokerCount: cluster.brokerCount,
      topics: props.topics,
    });

    this.kafka = {
      vpc: network.vpc,
      clientSecurityGroup: network.kafkaClientSecurityGroup,
      // Exported by name now rather than at synthesis, so the application's constructs see
      // the very `Fn::ImportValue` its templates hold (its cdk-nag acknowledgments name it).
      clusterArn: this.exportValue(cluster.clusterArn),
      bootstrapBrokers: cluster.bootstrapBrokers,
    };

    new CfnOutput(this, "KafkaClusterArn", { value: cluster.clusterArn });
    new CfnOutput(this, "KafkaBootstrapBrokers", {
      value: cluster.bootstrapBrokers,
      description: "IAM-authenticated (SASL OAUTHBEARER over TLS) bootstrap brokers",
    });

    suppressPlatformFindings(this);
  }
}
