import { Match } from "aws-cdk-lib/assertions";
import { describe, expect, it } from "vitest";
import { topicSettings } from "../../infra/constructs/msk-topics";
import { KAFKA_VERSION } from "../../infra/kafka-version";
import {
  ORDER_EVENTS_DLQ_TOPIC,
  ORDER_EVENTS_TOPIC,
  systemWiring,
} from "../../infra/wiring/system-wiring";
import { synthesizeSystem } from "./support/synthesize-system";
import { resourcesOfType } from "./support/template-queries";

const system = synthesizeSystem();

const decodeConfigs = (configs: string): Record<string, string> =>
  JSON.parse(Buffer.from(configs, "base64").toString("utf8"));

describe("MSK cluster", () => {
  it("runs the local broker's Kafka minor version in KRaft mode", () => {
    // Prepare
    const [major, minor] = KAFKA_VERSION.split(".");

    // Assess
    system.platform.hasResourceProperties("AWS::MSK::Cluster", {
      KafkaVersion: `${major}.${minor}.x.kraft`,
    });
  });

  it("accepts IAM-authenticated clients only, over TLS, and encrypts between brokers", () => {
    system.platform.hasResourceProperties("AWS::MSK::Cluster", {
      ClientAuthentication: {
        Sasl: { Iam: { Enabled: true }, Scram: Match.absent() },
        Unauthenticated: { Enabled: false },
        Tls: Match.absent(),
      },
      EncryptionInfo: { EncryptionInTransit: { ClientBroker: "TLS", InCluster: true } },
    });
  });

  it("encrypts data at rest with a rotated customer managed key", () => {
    // Act
    const [keyId] = Object.keys(system.platform.findResources("AWS::KMS::Key"));

    // Assess
    system.platform.hasResourceProperties("AWS::KMS::Key", { EnableKeyRotation: true });
    system.platform.hasResourceProperties("AWS::MSK::Cluster", {
      EncryptionInfo: {
        EncryptionAtRest: { DataVolumeKMSKeyId: { "Fn::GetAtt": [keyId, "Arn"] } },
      },
    });
  });

  it("sends broker logs to a log group with a retention", () => {
    system.platform.hasResourceProperties("AWS::MSK::Cluster", {
      LoggingInfo: {
        BrokerLogs: { CloudWatchLogs: { Enabled: true, LogGroup: { Ref: Match.anyValue() } } },
      },
    });
  });

  it("puts one broker in each of two AZs by default, in private subnets", () => {
    system.platform.hasResourceProperties("AWS::MSK::Cluster", {
      NumberOfBrokerNodes: 2,
      BrokerNodeGroupInfo: {
        InstanceType: "kafka.t3.small",
        ClientSubnets: [
          { Ref: Match.stringLikeRegexp("privateSubnet1") },
          { Ref: Match.stringLikeRegexp("privateSubnet2") },
        ],
      },
    });
  });

  it("reads the IAM bootstrap brokers from MSK once the cluster exists", () => {
    // Act
    const readers = resourcesOfType(system.platform, "Custom::AWS");
    const call = JSON.stringify(readers[0]?.[1].Properties?.Create);

    // Assess
    expect(readers).toHaveLength(1);
    expect(call).toContain('\\"action\\":\\"getBootstrapBrokers\\"');
    expect(call).toContain('\\"outputPaths\\":[\\"BootstrapBrokerStringSaslIam\\"]');
    expect(call).toContain('"Fn::GetAtt":["KafkaCluster');
    expect(readers[0]?.[1].Properties?.InstallLatestAwsSdk).toBe(false);
  });
});

describe("topics", () => {
  it.each(systemWiring.topics)("$name exists with its partitions and configs", (topic) => {
    // Act
    const [found] = resourcesOfType(system.platform, "AWS::MSK::Topic").filter(
      ([, resource]) => resource.Properties?.TopicName === topic.name,
    );
    const properties = found?.[1].Properties ?? {};

    // Assess
    expect(properties).toMatchObject({ PartitionCount: topic.partitions, ReplicationFactor: 2 });
    expect(decodeConfigs(String(properties.Configs))).toEqual({
      "retention.ms": String(topic.retentionHours * 3_600_000),
      ...(topic.maxMessageBytes === undefined
        ? {}
        : { "max.message.bytes": String(topic.maxMessageBytes) }),
      "min.insync.replicas": "1",
    });
  });

  it("lets a dead letter be larger than the largest record of its source topic", () => {
    // Act
    const bytesOf = (name: string) =>
      systemWiring.topics.find((topic) => topic.name === name)?.maxMessageBytes ?? Number.NaN;

    // Assess: room for the dlq_* headers (about 4 KB at most)
    expect(bytesOf(ORDER_EVENTS_DLQ_TOPIC) - bytesOf(ORDER_EVENTS_TOPIC)).toBeGreaterThanOrEqual(
      16 * 1024,
    );
  });

  it("keeps two replicas in sync once the cluster has three brokers", () => {
    // Act
    const settings = topicSettings({ name: "t", partitions: 1, retentionHours: 1 }, 6);

    // Assess
    expect(settings.replicationFactor).toBe(3);
    expect(decodeConfigs(settings.configs)["min.insync.replicas"]).toBe("2");
  });
});

describe("network", () => {
  it("has isolated subnets in two AZs, no NAT and no internet gateway", () => {
    system.platform.resourceCountIs("AWS::EC2::Subnet", 2);
    system.platform.resourceCountIs("AWS::EC2::NatGateway", 0);
    system.platform.resourceCountIs("AWS::EC2::InternetGateway", 0);
  });

  it("gives the event source mapping pollers private Lambda and STS endpoints", () => {
    for (const service of ["lambda", "sts"]) {
      system.platform.hasResourceProperties("AWS::EC2::VPCEndpoint", {
        VpcEndpointType: "Interface",
        PrivateDnsEnabled: true,
        ServiceName: {
          "Fn::Join": ["", ["com.amazonaws.", { Ref: "AWS::Region" }, `.${service}`]],
        },
      });
    }
  });

  it("reaches DynamoDB and S3 through gateway endpoints", () => {
    for (const service of ["dynamodb", "s3"]) {
      system.platform.hasResourceProperties("AWS::EC2::VPCEndpoint", {
        VpcEndpointType: "Gateway",
        ServiceName: {
          "Fn::Join": ["", ["com.amazonaws.", { Ref: "AWS::Region" }, `.${service}`]],
        },
      });
    }
  });

  it("opens only the IAM/TLS broker port, from the pollers and the producing functions", () => {
    // Act
    const ingress = resourcesOfType(system.platform, "AWS::EC2::SecurityGroupIngress").map(
      ([, rule]) => rule.Properties ?? {},
    );

    // Assess
    const brokerRules = ingress.filter((rule) => rule.FromPort !== 443);
    expect(brokerRules).toHaveLength(2);
    for (const rule of brokerRules) expect(rule).toMatchObject({ FromPort: 9098, ToPort: 9098 });
    for (const rule of ingress) expect(rule.CidrIp).toBeUndefined();
  });

  it("records rejected traffic in flow logs", () => {
    system.platform.hasResourceProperties("AWS::EC2::FlowLog", { TrafficType: "REJECT" });
  });
});

describe("data", () => {
  it.each(systemWiring.tables)(
    "$name is encrypted, recoverable to a point in time, with TTL",
    (table) => {
      system.application.hasResourceProperties("AWS::DynamoDB::Table", {
        KeySchema: [
          { AttributeName: table.partitionKey, KeyType: "HASH" },
          { AttributeName: table.sortKey, KeyType: "RANGE" },
        ],
        BillingMode: "PAY_PER_REQUEST",
        SSESpecification: { SSEEnabled: true },
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        TimeToLiveSpecification: { AttributeName: table.timeToLiveAttribute, Enabled: true },
        StreamSpecification:
          table.stream === undefined ? Match.absent() : { StreamViewType: table.stream },
      });
    },
  );

  it("outlives the stack: tables and buckets are retained", () => {
    for (const type of ["AWS::DynamoDB::Table", "AWS::S3::Bucket"]) {
      for (const [, resource] of resourcesOfType(system.application, type)) {
        expect(resource).toMatchObject({ DeletionPolicy: "Retain", UpdateReplacePolicy: "Retain" });
      }
    }
  });

  it("secures every bucket: encryption, no public access, TLS only, versioning, lifecycle", () => {
    // Act
    const buckets = resourcesOfType(system.application, "AWS::S3::Bucket");

    // Assess
    expect(buckets).toHaveLength(systemWiring.buckets.length + 1);
    for (const [logicalId, bucket] of buckets) {
      expect(bucket.Properties).toMatchObject({
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [
            { ServerSideEncryptionByDefault: { SSEAlgorithm: "AES256" } },
          ],
        },
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
        VersioningConfiguration: { Status: "Enabled" },
        LifecycleConfiguration: { Rules: [expect.objectContaining({ Status: "Enabled" })] },
      });
      system.application.hasResourceProperties("AWS::S3::BucketPolicy", {
        Bucket: { Ref: logicalId },
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Effect: "Deny",
              Action: "s3:*",
              Condition: { Bool: { "aws:SecureTransport": "false" } },
            }),
          ]),
        },
      });
    }
  });

  it("logs access to the declared buckets", () => {
    system.application.hasResourceProperties("AWS::S3::Bucket", {
      LoggingConfiguration: {
        DestinationBucketName: { Ref: Match.stringLikeRegexp("^BucketsAccessLogs") },
        LogFilePrefix: "outbox-dead-letters/",
      },
    });
  });
});
