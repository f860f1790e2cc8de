/**
 * The clients the local runtime talks to its services with: DynamoDB and DynamoDB Streams,
 * S3 (by path on moto) and Kafka, all from the runtime settings. Local AWS gets dummy
 * credentials, so real ones are never sent to it. See `docs/local-runtime.md`.
 *
 * @example
 * ```ts
 * const clients = new ServiceClients(settings);
 * await ensureBucket(clients.s3, "order-on-failure");
 * clients.destroy();
 * ```
 */
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBStreamsClient } from "@aws-sdk/client-dynamodb-streams";
import { S3Client } from "@aws-sdk/client-s3";
import { Kafka, logLevel } from "kafkajs";
import type { RuntimeSettings } from "./runtime-settings";

/** One client per service, shared by everything the runtime starts. */
export class ServiceClients {
  readonly dynamodb: DynamoDBClient;
  readonly streams: DynamoDBStreamsClient;
  readonly s3: S3Client;
  /** Connects nothing by itself: producers, consumers and admins made from it do. */
  readonly kafka: Kafka;

  constructor(settings: RuntimeSettings) {
    const awsConfig = {
      region: settings.region,
      ...(settings.awsEndpoint === undefined ? {} : { endpoint: settings.awsEndpoint }),
      ...(settings.usesLocalAws
        ? { credentials: { accessKeyId: "local", secretAccessKey: "local" } }
        : {}),
    };
    this.dynamodb = new DynamoDBClient(awsConfig);
    this.streams = new DynamoDBStreamsClient(awsConfig);
    this.s3 = new S3Client({ ...awsConfig, forcePathStyle: settings.usesLocalAws });
    this.kafka = new Kafka({
      clientId: "local-runtime",
      brokers: settings.kafkaBrokers.split(","),
      logLevel: logLevel.NOTHING,
    });
  }

  /** Closes the AWS clients' connections. */
  destroy(): void {
    this.dynamodb.destroy();
    this.streams.destroy();
    this.s3.destroy();
  }
}
