/**
 * The MSK provisioned cluster: the local broker's Kafka version, IAM auth only (no
 * unauthenticated or plaintext clients), TLS between clients and brokers and between brokers,
 * encryption at rest with a customer managed key (rotated yearly), broker logs in CloudWatch.
 * The key is the platform's: it also encrypts the platform's log groups (see `data-keys.ts`).
 *
 * CloudFormation does not return the bootstrap brokers of a cluster, so a custom resource
 * asks MSK (`GetBootstrapBrokers`) once the cluster exists; functions get the IAM bootstrap
 * string (port 9098) in `KAFKA_BROKERS`.
 *
 * @example
 * ```ts
 * const cluster = new MskCluster(this, "Kafka", { network, kafkaVersion: "4.1.2", ... });
 * cluster.clusterArn; cluster.bootstrapBrokers;
 * ```
 */
import { RemovalPolicy, Stack } from "aws-cdk-lib";
import * as ec2 from "aws-cdk-lib/aws-ec2";
import * as iam from "aws-cdk-lib/aws-iam";
import * as kms from "aws-cdk-lib/aws-kms";
import * as logs from "aws-cdk-lib/aws-logs";
import * as msk from "aws-cdk-lib/aws-msk";
import * as cr from "aws-cdk-lib/custom-resources";
import { Construct } from "constructs";
import { allowLogGroupsToUse } from "./data-keys";
import { mskKafkaVersion } from "./msk-kafka-version";
import type { Network } from "./network";

export interface MskClusterProps {
  readonly network: Network;
  /** Apache Kafka version of the local broker, e.g. "4.1.2". */
  readonly kafkaVersion: string;
  readonly brokerInstanceType: string;
  readonly brokersPerAz: number;
  readonly brokerVolumeGiB: number;
  readonly logRetention: logs.RetentionDays;
}

export class MskCluster extends Construct {
  readonly clusterArn: string;
  /** Comma-separated `host:9098` list for IAM-authenticated clients. */
  readonly bootstrapBrokers: string;
  readonly brokerCount: number;
  /** The brokers' volume key, which also encrypts the platform's log groups. */
  readonly dataKey: kms.Key;

  constructor(scope: Construct, id: string, props: MskClusterProps) {
    super(scope, id);
    const { network } = props;
    const subnets = network.vpc.selectSubnets({ subnetType: ec2.SubnetType.PRIVATE_ISOLATED });
    this.brokerCount = subnets.subnetIds.length * props.brokersPerAz;

    // Never replaced: a new volume key would replace the cluster.
    const dataKey = new kms.Key(this, "DataKey", {
      description: "Encrypts the MSK brokers' data volumes and the platform's log groups",
      enableKeyRotation: true,
      // The volumes go with the cluster; key deletion is scheduled (30 days) and cancellable.
      removalPolicy: RemovalPolicy.DESTROY,
    });
    allowLogGroupsToUse(dataKey);
    this.dataKey = dataKey;
    const brokerLogs = new logs.LogGroup(this, "BrokerLogs", {
      retention: props.logRetention,
      encryptionKey: dataKey,
      removalPolicy: RemovalPolicy.DESTROY,
    });

    const cluster = new msk.CfnCluster(this, "Cluster", {
      clusterName: Stack.of(this).stackName,
      kafkaVersion: mskKafkaVersion(props.kafkaVersion),
      numberOfBrokerNodes: this.brokerCount,
      brokerNodeGroupInfo: {
        clientSubnets: subnets.subnetIds,
        instanceType: props.brokerInstanceType,
        securityGroups: [network.clusterSecurityGroup.securityGroupId],
        storageInfo: { ebsStorageInfo: { volumeSize: props.brokerVolumeGiB } },
      },
      clientAuthentication: {
        sasl: { iam: { enabled: true } },
        unauthenticated: { enabled: false },
      },
      encryptionInfo: {
        encryptionAtRest: { dataVolumeKmsKeyId: dataKey.keyArn },
        encryptionInTransit: { clientBroker: "TLS", inCluster: true },
      },
      loggingInfo: {
        brokerLogs: { cloudWatchLogs: { enabled: true, logGroup: brokerLogs.logGroupName } },
      },
      enhancedMonitoring: "DEFAULT",
    });
    this.clusterArn = cluster.attrArn;

    const bootstrapBrokersReader = new cr.AwsCustomResource(this, "BootstrapBrokers", {
      onUpdate: {
        service: "Kafka",
        action: "getBootstrapBrokers",
        parameters: { ClusterArn: this.clusterArn },
        physicalResourceId: cr.PhysicalResourceId.of(this.clusterArn),
        outputPaths: ["BootstrapBrokerStringSaslIam"],
      },
      policy: cr.AwsCustomResourcePolicy.fromStatements([
        new iam.PolicyStatement({
          actions: ["kafka:GetBootstrapBrokers"],
          resources: [this.clusterArn],
        }),
      ]),
      // The SDK in the Lambda runtime knows GetBootstrapBrokers; no install at deploy time.
      installLatestAwsSdk: false,
      logGroup: new logs.LogGroup(this, "BootstrapBrokersLogs", {
        retention: props.logRetention,
        encryptionKey: dataKey,
        removalPolicy: RemovalPolicy.DESTROY,
      }),
    });
    this.bootstrapBrokers = bootstrapBrokersReader.getResponseField("BootstrapBrokerStringSaslIam");
  }
}
