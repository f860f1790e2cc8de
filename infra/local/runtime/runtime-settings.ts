/**
 * Settings of the local runtime, from the environment. By default everything is local (the
 * broker and moto of `npm run services:up`); pointing AWS_ENDPOINT_URL at LocalStack, or
 * KAFKA_BROKERS at another cluster (with KAFKA_AUTH=iam for MSK), runs the same functions
 * against those instead, and the matching local service is not started. A service's own
 * `AWS_ENDPOINT_URL_<SERVICE>` sends only its calls elsewhere. Which endpoints count as local
 * is `infra/local/services/aws-endpoints.ts`'s one rule.
 *
 * @example
 * ```ts
 * const settings = readRuntimeSettings(process.env, services);
 * settings.httpPort; // 3000 unless LOCAL_HTTP_PORT says otherwise
 * ```
 */
import { z } from "zod";
import { parseEnvironment } from "../../../shared/config";
import {
  AWS_SERVICE_ENDPOINT_VARIABLE,
  type AwsService,
  awsServiceEndpoint,
  awsServiceEndpoints,
  isLocalMotoEndpoint,
  isLoopbackEndpoint,
  LOCAL_AWS_CREDENTIALS,
} from "../services/aws-endpoints";
import {
  localAwsEndpoint,
  localKafkaBrokers,
  type ServiceSettings,
} from "../services/service-settings";

/** Where the runtime's services are and what every function is passed. */
export interface RuntimeSettings {
  readonly httpPort: number;
  /** Where `npm start` serves Lambda's Invoke API (`LOCAL_LAMBDA_PORT`, 3002; 0: any free port). */
  readonly lambdaPort: number;
  readonly region: string;
  readonly awsEndpoint: string | undefined;
  /** `AWS_ENDPOINT_URL_<SERVICE>` variables, by name: where one service's calls go instead. */
  readonly awsServiceEndpoints: Readonly<Record<string, string>>;
  /** True when some AWS calls go to the local moto server (which the runtime then starts). */
  readonly usesLocalAws: boolean;
  /**
   * True when every AWS endpoint is on this machine (a loopback host): the functions then get
   * dummy credentials instead of the runtime's own.
   */
  readonly awsIsLocal: boolean;
  readonly kafkaBrokers: string;
  readonly usesLocalKafka: boolean;
  readonly kafkaAuth: "none" | "iam";
  readonly kafkaTls: boolean;
  /**
   * Variables passed through to every function (credentials, service endpoints, log level,
   * OTel exporter).
   */
  readonly passThrough: Readonly<Record<string, string>>;
  /** Whether `npm start` reloads functions whose sources change; LOCAL_HOT_RELOAD, true. */
  readonly hotReload: boolean;
}

const PASS_THROUGH = [
  "AWS_PROFILE",
  "AWS_ACCESS_KEY_ID",
  "AWS_SECRET_ACCESS_KEY",
  "AWS_SESSION_TOKEN",
  "POWERTOOLS_LOG_LEVEL",
  "POWERTOOLS_METRICS_DISABLED",
  "OTEL_EXPORTER_OTLP_ENDPOINT",
  "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT",
  "OTEL_EXPORTER_OTLP_HEADERS",
  "TZ",
];

/** An AWS endpoint: an http or https URL (`localhost:4566` alone would parse as a scheme). */
const endpointUrl = z.url({ protocol: /^https?$/, error: "must be an http:// or https:// URL" });

const schema = z.object({
  LOCAL_HTTP_PORT: z.coerce.number().int().min(0).max(65_535).default(3000),
  LOCAL_LAMBDA_PORT: z.coerce.number().int().min(0).max(65_535).default(3002),
  AWS_REGION: z.string().min(1).default("us-east-1"),
  AWS_ENDPOINT_URL: endpointUrl.optional(),
  KAFKA_BROKERS: z.string().min(1).optional(),
  KAFKA_AUTH: z.enum(["none", "iam"]).default("none"),
  KAFKA_TLS: z.stringbool().default(false),
  LOCAL_HOT_RELOAD: z.stringbool().default(true),
});

const serviceEndpointsSchema = z.record(
  z.string().regex(AWS_SERVICE_ENDPOINT_VARIABLE),
  endpointUrl,
);

/** Reads the settings; throws a configuration error naming each invalid variable. */
export const readRuntimeSettings = (
  environment: Readonly<Record<string, string | undefined>>,
  services: ServiceSettings,
): RuntimeSettings => {
  const env = parseEnvironment(schema, environment);
  const serviceEndpoints = parseEnvironment(
    serviceEndpointsSchema,
    awsServiceEndpoints(environment),
  );
  const awsEndpoint = env.AWS_ENDPOINT_URL ?? localAwsEndpoint(services);
  const kafkaBrokers = env.KAFKA_BROKERS ?? localKafkaBrokers(services);
  const passThrough: Record<string, string> = { ...serviceEndpoints };
  for (const name of PASS_THROUGH) {
    const value = environment[name];
    if (value !== undefined) passThrough[name] = value;
  }
  const endpoints = [awsEndpoint, ...Object.values(serviceEndpoints)];
  const awsIsLocal = endpoints.every(isLoopbackEndpoint);
  if (awsIsLocal) {
    // An emulator accepts any credentials; real ones must never be sent to it by accident.
    passThrough.AWS_ACCESS_KEY_ID = LOCAL_AWS_CREDENTIALS.accessKeyId;
    passThrough.AWS_SECRET_ACCESS_KEY = LOCAL_AWS_CREDENTIALS.secretAccessKey;
    delete passThrough.AWS_SESSION_TOKEN;
    delete passThrough.AWS_PROFILE;
  }
  return {
    httpPort: env.LOCAL_HTTP_PORT,
    lambdaPort: env.LOCAL_LAMBDA_PORT,
    region: env.AWS_REGION,
    awsEndpoint,
    awsServiceEndpoints: serviceEndpoints,
    usesLocalAws: endpoints.some((endpoint) => isLocalMotoEndpoint(endpoint, services)),
    awsIsLocal,
    kafkaBrokers,
    usesLocalKafka: kafkaBrokers === localKafkaBrokers(services),
    kafkaAuth: env.KAFKA_AUTH,
    kafkaTls: env.KAFKA_TLS,
    passThrough,
    hotReload: env.LOCAL_HOT_RELOAD,
  };
};

/**
 * Where the runtime's and the functions' clients of one service go: its
 * `AWS_ENDPOINT_URL_<SERVICE>`, else the runtime's AWS endpoint.
 *
 * @example
 * ```ts
 * awsEndpointOf(readRuntimeSettings({ AWS_ENDPOINT_URL_S3: "http://localhost:4567" }, services), "S3");
 * // "http://localhost:4567"
 * ```
 */
export const awsEndpointOf = (settings: RuntimeSettings, service: AwsService): string | undefined =>
  awsServiceEndpoint(
    { ...settings.awsServiceEndpoints, AWS_ENDPOINT_URL: settings.awsEndpoint },
    service,
  );
