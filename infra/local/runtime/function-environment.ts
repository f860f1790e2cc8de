/**
 * The environment one function gets locally: what the wiring derives for every deployment
 * (`infra/wiring/function-environment.ts`, which CDK calls too), with the local physical names
 * and Kafka connection, plus the local endpoints and region, and the variables the runtime
 * passes through (`AWS_ENDPOINT_URL_<SERVICE>` among them). Nothing else of the runtime's
 * environment leaks in.
 *
 * @example
 * ```ts
 * const env = localFunctionEnvironment(declaration, settings, { tableName: (n) => n, bucketName: (n) => n });
 * env.READ_MODEL_TABLE_NAME; // "order-read-model"
 * ```
 */
import { type DeployedNames, functionEnvironment } from "../../wiring/function-environment";
import type { FunctionDeclaration } from "../../wiring/types";
import { isLoopbackEndpoint } from "../services/aws-endpoints";
import { awsEndpointOf, type RuntimeSettings } from "./runtime-settings";

/** How the runtime names tables and buckets physically (locally: as declared). */
export type PhysicalNames = Pick<DeployedNames, "tableName" | "bucketName">;

/** The whole environment of one function's sandboxes. */
export const localFunctionEnvironment = (
  declaration: FunctionDeclaration,
  settings: RuntimeSettings,
  names: PhysicalNames,
): Record<string, string> => ({
  ...settings.passThrough,
  AWS_REGION: settings.region,
  AWS_DEFAULT_REGION: settings.region,
  ...(settings.awsEndpoint === undefined ? {} : { AWS_ENDPOINT_URL: settings.awsEndpoint }),
  // An emulator on an address serves buckets by path, not by virtual host.
  ...(isLoopbackEndpoint(awsEndpointOf(settings, "S3") ?? "")
    ? { S3_FORCE_PATH_STYLE: "true" }
    : {}),
  ...functionEnvironment(declaration, {
    ...names,
    kafka: { brokers: settings.kafkaBrokers, auth: settings.kafkaAuth, tls: settings.kafkaTls },
  }),
});
