/**
 * Where the local runtime and tools send AWS calls, and the one rule on which endpoints are on
 * this machine: a loopback host (`localhost`, 127.0.0.0/8, `::1`) on any port is a local
 * emulator (moto, or LocalStack at `http://localhost:4566`). Its clients get dummy
 * credentials, so real ones are never sent to it, and reach S3 by path, since an emulator at
 * an address has no bucket host names. The project's moto is the loopback endpoint on
 * `LOCAL_MOTO_PORT` that moto listens on; `npm start` starts it (or reuses what answers
 * there). Each service's clients go where the AWS SDK sends them:
 * `AWS_ENDPOINT_URL_<SERVICE>` (e.g. `AWS_ENDPOINT_URL_DYNAMODB`), else `AWS_ENDPOINT_URL`.
 *
 * @example
 * ```ts
 * isLoopbackEndpoint("http://localhost:4566"); // true
 * const s3 = new S3Client(awsClientConfig(awsServiceEndpoint(process.env, "S3") ?? local, "S3", region));
 * ```
 */
import type { ServiceSettings } from "./service-settings";

/** The SDK's own variable for one service's endpoint: `AWS_ENDPOINT_URL_` and its service id. */
export const AWS_SERVICE_ENDPOINT_VARIABLE = /^AWS_ENDPOINT_URL_[A-Z0-9_]+$/;

/** The services the local runtime and tools call, by the suffix of their endpoint variable. */
export type AwsService = "DYNAMODB" | "DYNAMODB_STREAMS" | "S3" | "LAMBDA" | "CLOUDFORMATION";

/** moto accepts any credentials; these stand in for real ones on a loopback endpoint. */
export const LOCAL_AWS_CREDENTIALS = { accessKeyId: "local", secretAccessKey: "local" } as const;

const IPV4_LOOPBACK = /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/;

/** The endpoint as a URL, undefined when it is not one. */
const parseUrl = (endpoint: string): URL | undefined => {
  try {
    return new URL(endpoint);
  } catch {
    return undefined;
  }
};

const hostnameOf = (url: URL): string =>
  url.hostname
    .replace(/^\[(.*)\]$/, "$1")
    .replace(/\.$/, "")
    .toLowerCase();

/**
 * True when the endpoint's host is this machine by address or by the name `localhost`: an
 * emulator, whatever its port. A name that only resolves to 127.0.0.1 through DNS (such as
 * `localhost.localstack.cloud`) is not: DNS could send it anywhere.
 *
 * @example
 * ```ts
 * isLoopbackEndpoint("http://127.0.0.1:4566"); // true
 * isLoopbackEndpoint("http://[::1]:4567"); // true
 * isLoopbackEndpoint("https://dynamodb.eu-west-1.amazonaws.com"); // false
 * ```
 */
export const isLoopbackEndpoint = (endpoint: string): boolean => {
  const url = parseUrl(endpoint);
  if (url === undefined) return false;
  const host = hostnameOf(url);
  return host === "localhost" || host === "::1" || IPV4_LOOPBACK.test(host);
};

/**
 * True when the endpoint is the project's moto: loopback, on an address moto listens on
 * (`127.0.0.1`, or `localhost`), on its port.
 *
 * @example
 * ```ts
 * isLocalMotoEndpoint("http://localhost:4566", readServiceSettings({})); // true
 * isLocalMotoEndpoint("http://localhost:4567", readServiceSettings({})); // false: LocalStack, say
 * ```
 */
export const isLocalMotoEndpoint = (endpoint: string, settings: ServiceSettings): boolean => {
  const url = parseUrl(endpoint);
  if (url === undefined || !isLoopbackEndpoint(endpoint)) return false;
  const host = hostnameOf(url);
  const port = url.port === "" ? (url.protocol === "https:" ? 443 : 80) : Number(url.port);
  return (host === "localhost" || host === settings.moto.host) && port === settings.moto.port;
};

/**
 * Every `AWS_ENDPOINT_URL_<SERVICE>` variable of the environment that has a value.
 *
 * @example
 * ```ts
 * awsServiceEndpoints({ AWS_ENDPOINT_URL_S3: "http://localhost:4566", HOME: "/" });
 * // { AWS_ENDPOINT_URL_S3: "http://localhost:4566" }
 * ```
 */
export const awsServiceEndpoints = (
  environment: Readonly<Record<string, string | undefined>>,
): Record<string, string> =>
  Object.fromEntries(
    Object.entries(environment).flatMap(([name, value]) =>
      AWS_SERVICE_ENDPOINT_VARIABLE.test(name) && value !== undefined && value !== ""
        ? [[name, value]]
        : [],
    ),
  );

/**
 * Where one service's clients go, as the AWS SDK decides it: its own variable, else
 * `AWS_ENDPOINT_URL`; undefined when neither is set (AWS itself).
 *
 * @example
 * ```ts
 * awsServiceEndpoint({ AWS_ENDPOINT_URL: "http://a", AWS_ENDPOINT_URL_S3: "http://b" }, "S3"); // "http://b"
 * ```
 */
export const awsServiceEndpoint = (
  environment: Readonly<Record<string, string | undefined>>,
  service: AwsService,
): string | undefined =>
  awsServiceEndpoints(environment)[`AWS_ENDPOINT_URL_${service}`] ??
  (environment.AWS_ENDPOINT_URL || undefined);

/** What an AWS SDK client is built with, for one service's endpoint. */
export interface AwsClientConfig {
  readonly region: string;
  readonly endpoint?: string;
  readonly credentials?: typeof LOCAL_AWS_CREDENTIALS;
  /** S3 only. */
  readonly forcePathStyle?: boolean;
}

/**
 * A client's settings for the endpoint: on a loopback endpoint, dummy credentials and (for S3)
 * path-style requests; elsewhere the SDK's own credential chain and addressing.
 *
 * @example
 * ```ts
 * new S3Client(awsClientConfig("http://localhost:4566", "S3", "us-east-1")); // forcePathStyle: true
 * ```
 */
export const awsClientConfig = (
  endpoint: string | undefined,
  service: AwsService,
  region: string,
): AwsClientConfig => {
  const local = endpoint !== undefined && isLoopbackEndpoint(endpoint);
  return {
    region,
    ...(endpoint === undefined ? {} : { endpoint }),
    ...(local ? { credentials: LOCAL_AWS_CREDENTIALS } : {}),
    ...(service === "S3" ? { forcePathStyle: local } : {}),
  };
};
