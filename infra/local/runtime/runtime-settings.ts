/**
 * Settings of the local runtime, from the environment. By default everything is local (the
 * broker and moto of `npm run services:up`); pointing AWS_ENDPOINT_URL at LocalStack, or
 * KAFKA_BROKERS at another cluster (with KAFKA_AUTH=iam for MSK), runs the same functions
 * against those instead, and the matching local service is not started.
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
  localAwsEndpoint,
  localKafkaBrokers,
  type ServiceSettings,
} from "../services/service-settings";

/** Where the runtime's services are and what every function is passed. */
export interface RuntimeSettings {
  readonly httpPort: number;
  readonly region: string;
  readonly awsEndpoint: string | undefined;
  /** True when AWS calls go to the local moto server (which the runtime then starts). */
  readonly usesLocalAws: boolean;
  readonly kafkaBrokers: string;
  readonly usesLocalKafka: boolean;
  readonly kafkaAuth: "none" | "iam";
  readonly kafkaTls: boolean;
  /** Variables passed through to every function (credentials, log level, OTel exporter). */
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

const schema = z.object({
  LOCAL_HTTP_PORT: z.coerce.number().int().min(0).max(65_535).default(3000),
  AWS_REGION: z.string().min(1).default("us-east-1"),
  AWS_ENDPOINT_URL: z.url().optional(),
  KAFKA_BROKERS: z.string().min(1).optional(),
  KAFKA_AUTH: z.enum(["none", "iam"]).default("none"),
  KAFKA_TLS: z.stringbool().default(false),
  LOCAL_HOT_RELOAD: z.stringbool().default(true),
});

/** Reads the settings; throws a configuration error naming each invalid variable. */
export const readRuntimeSettings = (
  environment: Readonly<Record<string, string | undefined>>,
  services: ServiceSettings,
): RuntimeSettings => {
  const env = parseEnvironment(schema, environment);
  const awsEndpoint = env.AWS_ENDPOINT_URL ?? localAwsEndpoint(services);
  const kafkaBrokers = env.KAFKA_BROKERS ?? localKafkaBrokers(services);
  const passThrough: Record<string, string> = {};
  for (const name of PASS_THROUGH) {
    const value = environment[name];
    if (value !== undefined) passThrough[name] = value;
  }
  const usesLocalAws = awsEndpoint === localAwsEndpoint(services);
  if (usesLocalAws) {
    // moto accepts any credentials; real ones must never be sent to it by accident.
    passThrough.AWS_ACCESS_KEY_ID = "local";
    passThrough.AWS_SECRET_ACCESS_KEY = "local";
    delete passThrough.AWS_SESSION_TOKEN;
    delete passThrough.AWS_PROFILE;
  }
  return {
    httpPort: env.LOCAL_HTTP_PORT,
    region: env.AWS_REGION,
    awsEndpoint,
    usesLocalAws,
    kafkaBrokers,
    usesLocalKafka: kafkaBrokers === localKafkaBrokers(services),
    kafkaAuth: env.KAFKA_AUTH,
    kafkaTls: env.KAFKA_TLS,
    passThrough,
    hotReload: env.LOCAL_HOT_RELOAD,
  };
};
