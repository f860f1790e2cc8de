/**
 * The knobs of a deployment, read once from CDK context (`cdk.json` or `-c key=value`) and
 * validated with zod, so a typo fails the synth with the knob's name instead of deploying
 * something unintended. Everything about the system's wiring (functions, triggers, mapping
 * modes) lives in the one declaration (`infra/wiring/system-wiring.ts`), not here: these are
 * only the sizes and switches of the AWS resources around it.
 *
 * | context key | default | meaning |
 * |---|---|---|
 * | `availabilityZones` | two AZs of the target region | comma-separated AZ names, e.g. `eu-west-1a,eu-west-1b,eu-west-1c` |
 * | `brokerInstanceType` | `kafka.t3.small` | MSK broker size, e.g. `kafka.m7g.large` for production |
 * | `brokersPerAz` | `1` | brokers in each AZ (MSK needs the same number in every AZ) |
 * | `brokerVolumeGiB` | `20` | EBS storage per broker |
 * | `apiAuthorization` | `iam` | `iam` (SigV4-signed requests) or `none` (open, throttled demo API) |
 * | `apiRateLimit` / `apiBurstLimit` | `50` / `100` | HTTP API stage throttling, requests per second |
 * | `logRetentionDays` | `30` | retention of every log group the stacks create |
 * | `alarmEmail` | (none) | subscribes this address to the alarm topic |
 *
 * @example
 * ```ts
 * const settings = readDeploymentSettings((key) => app.node.tryGetContext(key));
 * settings.brokerInstanceType; // "kafka.t3.small"
 * ```
 */
import { z } from "zod";

const availabilityZoneList = z
  .string()
  .transform((list) =>
    list
      .split(",")
      .map((zone) => zone.trim())
      .filter((zone) => zone.length > 0),
  )
  .pipe(z.array(z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d[a-z]$/, "is not an AZ name")).min(2));

/** The retention periods CloudWatch Logs accepts. */
const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288,
  3653,
] as const;

const contextSchema = z.object({
  availabilityZones: availabilityZoneList.optional(),
  brokerInstanceType: z
    .string()
    .regex(/^(kafka|express)\.[a-z0-9]+\.[a-z0-9]+$/, "is not an MSK broker type")
    .default("kafka.t3.small"),
  brokersPerAz: z.coerce.number().int().min(1).max(10).default(1),
  brokerVolumeGiB: z.coerce.number().int().min(1).max(16_384).default(20),
  apiAuthorization: z.enum(["iam", "none"]).default("iam"),
  apiRateLimit: z.coerce.number().positive().default(50),
  apiBurstLimit: z.coerce.number().int().positive().default(100),
  logRetentionDays: z.coerce
    .number()
    .refine((days) => (LOG_RETENTION_DAYS as readonly number[]).includes(days), {
      message: `must be one of ${LOG_RETENTION_DAYS.join(", ")}`,
    })
    .default(30),
  alarmEmail: z.email().optional(),
});

export type DeploymentSettings = z.output<typeof contextSchema>;

/** Reads one context value; `app.node.tryGetContext` fits. */
export type ContextReader = (key: string) => unknown;

export class DeploymentSettingsError extends Error {
  override readonly name = "DeploymentSettingsError";
}

export const readDeploymentSettings = (readContext: ContextReader): DeploymentSettings => {
  const raw = Object.fromEntries(
    Object.keys(contextSchema.shape).map((key) => [key, readContext(key) ?? undefined]),
  );
  const parsed = contextSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map(
    (issue) => `context "${issue.path.join(".")}": ${issue.message}`,
  );
  throw new DeploymentSettingsError(`Invalid deployment settings: ${problems.join("; ")}`);
};
