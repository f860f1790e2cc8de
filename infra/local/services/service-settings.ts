/**
 * Settings of the local services (Kafka broker, moto server), read once from the environment.
 *
 * Every value has a default that matches the README; a malformed value fails fast with the
 * variable's name.
 *
 * @example
 * ```ts
 * const settings = readServiceSettings(process.env);
 * settings.kafka.port; // 9092 unless LOCAL_KAFKA_PORT says otherwise
 * ```
 */
import { homedir } from "node:os";
import { join, resolve } from "node:path";
import { z } from "zod";

const port = z.coerce.number().int().min(1).max(65_535);

const environmentSchema = z.object({
  LOCAL_KAFKA_PORT: port.default(9092),
  LOCAL_KAFKA_CONTROLLER_PORT: port.default(9093),
  LOCAL_MOTO_PORT: port.default(4566),
  LOCAL_STATE_DIR: z.string().min(1).optional(),
  LOCAL_CACHE_DIR: z.string().min(1).optional(),
  XDG_CACHE_HOME: z.string().min(1).optional(),
});

export interface ServiceSettings {
  /** Repository root: the POM and log4j2 configuration are read from here. */
  readonly projectRoot: string;
  /** Gitignored folder for broker data, pid files and logs. */
  readonly stateDir: string;
  readonly logDir: string;
  /** Download cache outside git, shared by every clone on the machine. */
  readonly cacheDir: string;
  readonly kafka: { readonly host: string; readonly port: number; readonly controllerPort: number };
  readonly moto: { readonly host: string; readonly port: number };
}

export class InvalidServiceSettingsError extends Error {
  override readonly name = "InvalidServiceSettingsError";
}

export const readServiceSettings = (
  environment: NodeJS.ProcessEnv,
  projectRoot: string = resolve(import.meta.dirname, "../../.."),
): ServiceSettings => {
  const parsed = environmentSchema.safeParse(environment);
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (issue) => `${issue.path.join(".")}: ${issue.message}`,
    );
    throw new InvalidServiceSettingsError(`Invalid local service settings: ${problems.join("; ")}`);
  }
  const env = parsed.data;
  const stateDir = resolve(projectRoot, env.LOCAL_STATE_DIR ?? ".local");
  const cacheRoot = env.XDG_CACHE_HOME ?? join(homedir(), ".cache");
  return {
    projectRoot,
    stateDir,
    logDir: join(stateDir, "logs"),
    cacheDir: resolve(env.LOCAL_CACHE_DIR ?? join(cacheRoot, "msk-order-events")),
    kafka: {
      host: "127.0.0.1",
      port: env.LOCAL_KAFKA_PORT,
      controllerPort: env.LOCAL_KAFKA_CONTROLLER_PORT,
    },
    moto: { host: "127.0.0.1", port: env.LOCAL_MOTO_PORT },
  };
};

/** The broker list clients use to reach the local Kafka broker. */
export const localKafkaBrokers = (settings: ServiceSettings): string =>
  `${settings.kafka.host}:${settings.kafka.port}`;

/** The endpoint AWS SDK clients use to reach moto (`AWS_ENDPOINT_URL`). */
export const localAwsEndpoint = (settings: ServiceSettings): string =>
  `http://${settings.moto.host}:${settings.moto.port}`;
