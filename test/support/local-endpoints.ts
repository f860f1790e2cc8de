/**
 * Where tests reach the local services, and AWS SDK client settings for moto.
 * Ports follow the same environment variables as `npm run services:up`.
 */
import {
  localAwsEndpoint,
  localKafkaBrokers,
  readServiceSettings,
} from "../../infra/local/services/service-settings";

const settings = readServiceSettings(process.env);

export const kafkaBrokers: string[] = [localKafkaBrokers(settings)];

/** Client configuration for any AWS SDK v3 client talking to moto. */
export const awsClientConfig = {
  endpoint: localAwsEndpoint(settings),
  region: "us-east-1",
  credentials: { accessKeyId: "local", secretAccessKey: "local" },
} as const;

/** A name no earlier run has used, so tests never see each other's topics or tables. */
export const uniqueName = (prefix: string): string =>
  `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;

/**
 * Points the AWS SDK's default clients (the ones the functions create at cold start) at
 * moto. Call before importing a handler module.
 */
export const useMotoForAwsClients = (): void => {
  process.env.AWS_ENDPOINT_URL = awsClientConfig.endpoint;
  process.env.AWS_REGION = awsClientConfig.region;
  process.env.AWS_ACCESS_KEY_ID = awsClientConfig.credentials.accessKeyId;
  process.env.AWS_SECRET_ACCESS_KEY = awsClientConfig.credentials.secretAccessKey;
};
