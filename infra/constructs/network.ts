/**
 * The private network of the system: a VPC with isolated subnets in two or more AZs, no NAT
 * and no internet gateway. What leaves the VPC goes through endpoints:
 *
 * - interface endpoints for Lambda and STS, which MSK event source mappings need when the
 *   cluster's subnets have no NAT (their pollers run in the cluster's subnets with the
 *   cluster's security group);
 * - gateway endpoints (free) for DynamoDB and S3, used by the functions inside the VPC.
 *
 * Two security groups carry the Kafka traffic: the cluster's own group (brokers and the event
 * source mapping pollers) and a client group for functions that produce to Kafka. Only IAM
 * auth over TLS (port 9098) is opened.
 *
 * @example
 * ```ts
 * const network = new Network(this, "Network", { availabilityZones: undefined, logRetention });
 * network.kafkaClientSecurityGroup; // give it to functions that talk to Kafka
 * ```
 */
import { RemovalPolicy } from "aws-cdk-lib";
import * as ec2 from "aws-cdk-lib/aws-ec2";
import * as logs from "aws-cdk-lib/aws-logs";
import { Construct } from "constructs";

/** MSK's port for IAM-authenticated clients over TLS inside the VPC. */
export const KAFKA_IAM_TLS_PORT = 9098;

export interface NetworkProps {
  /** Explicit AZ names; `undefined` takes two AZs of the target region. */
  readonly availabilityZones: readonly string[] | undefined;
  readonly logRetention: logs.RetentionDays;
}

export class Network extends Construct {
  readonly vpc: ec2.Vpc;
  /** Brokers and the event source mapping pollers (which use the cluster's groups). */
  readonly clusterSecurityGroup: ec2.SecurityGroup;
  /** Functions that connect to the brokers themselves (producers). */
  readonly kafkaClientSecurityGroup: ec2.SecurityGroup;
  /** Rejected traffic; encrypted with the platform's key once the cluster has created it. */
  readonly flowLogs: logs.LogGroup;

  constructor(scope: Construct, id: string, props: NetworkProps) {
    super(scope, id);

    const flowLogs = new logs.LogGroup(this, "FlowLogs", {
      retention: props.logRetention,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.flowLogs = flowLogs;

    this.vpc = new ec2.Vpc(this, "Vpc", {
      ipAddresses: ec2.IpAddresses.cidr("10.40.0.0/16"),
      ...(props.availabilityZones === undefined
        ? { maxAzs: 2 }
        : { availabilityZones: [...props.availabilityZones] }),
      natGateways: 0,
      subnetConfiguration: [
        { name: "private", subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 22 },
      ],
      gatewayEndpoints: {
        DynamoDb: { service: ec2.GatewayVpcEndpointAwsService.DYNAMODB },
        S3: { service: ec2.GatewayVpcEndpointAwsService.S3 },
      },
      flowLogs: {
        // Rejected traffic is what an investigation needs; accepted traffic would multiply
        // the log volume (and cost) for little insight in a VPC without internet access.
        rejected: {
          destination: ec2.FlowLogDestination.toCloudWatchLogs(flowLogs),
          trafficType: ec2.FlowLogTrafficType.REJECT,
        },
      },
    });

    this.clusterSecurityGroup = new ec2.SecurityGroup(this, "ClusterSecurityGroup", {
      vpc: this.vpc,
      description: "MSK brokers and the Lambda event source mapping pollers",
      // Subnets are isolated: egress can only reach the VPC and its endpoints.
      allowAllOutbound: true,
    });
    this.kafkaClientSecurityGroup = new ec2.SecurityGroup(this, "KafkaClientSecurityGroup", {
      vpc: this.vpc,
      description: "Lambda functions that produce to MSK",
      allowAllOutbound: true,
    });

    const kafkaPort = ec2.Port.tcp(KAFKA_IAM_TLS_PORT);
    // Event source mapping pollers reach the brokers from inside the cluster's own group.
    this.clusterSecurityGroup.addIngressRule(
      this.clusterSecurityGroup,
      kafkaPort,
      "Event source mapping pollers to brokers (IAM auth, TLS)",
    );
    this.clusterSecurityGroup.addIngressRule(
      this.kafkaClientSecurityGroup,
      kafkaPort,
      "Producing functions to brokers (IAM auth, TLS)",
    );

    for (const [id, service] of [
      ["Lambda", ec2.InterfaceVpcEndpointAwsService.LAMBDA],
      ["Sts", ec2.InterfaceVpcEndpointAwsService.STS],
    ] as const) {
      const endpoint = this.vpc.addInterfaceEndpoint(id, {
        service,
        privateDnsEnabled: true,
        subnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
        // Only the pollers need these endpoints; nothing else in the VPC is let in.
        open: false,
      });
      endpoint.connections.allowFrom(
        this.clusterSecurityGroup,
        ec2.Port.tcp(443),
        "Event source mapping pollers to the endpoint",
      );
    }
  }
}
