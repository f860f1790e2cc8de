/**
 * The clients the local runtime talks to its services with: DynamoDB and DynamoDB Streams,
 * S3 and Kafka, all from the runtime settings, each AWS client at its service's endpoint
 * (`AWS_ENDPOINT_URL_<SERVICE>`, else `AWS_ENDPOINT_URL`). An endpoint on this machine gets
 * dummy credentials, so real ones are never sent to it, and S3 by path
 * (`infra/local/services/aws-endpoints.ts`). See `docs/local-runtime.md`.
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
import { type AwsService, awsClientConfig } from "../services/aws-endpoints";
import { awsEndpointOf, type RuntimeSettings } from "./runtime-settings";

/** One client per service, shared by everything the runtime starts. */
export class ServiceClients {
  readonly dynamodb: DynamoDBClient;
  readonly streams: DynamoDBStreamsClient;
  readonly s3: S3Client;
  /** Connects nothing by itself: producers, consumers and admins made from it do. */
  readonly kafka: Kafka;

  constructor(settings: RuntimeSettings) {
    const configOf = (service: AwsService) =>
      awsClientConfig(awsEndpointOf(settings, service), service, settings.region);
    this.dynamodb = new DynamoDBClient(configOf("DYNAMODB"));
    this.streams = new DynamoDBStreamsClient(configOf("DYNAMODB_STREAMS"));
    this.s3 = new S3Client(configOf("S3"));
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
