/**
 * The demo's command line and environment, parsed once: `--json` for a JSON report,
 * `--orders N` orders to place (default 6), `--timeout S` seconds to wait for the system to
 * settle (default 60). Where the running system is comes from the same settings as
 * `npm start` (`LOCAL_HTTP_PORT`, `LOCAL_KAFKA_PORT`, `KAFKA_BROKERS`, `KAFKA_AUTH`, ...).
 *
 * @example
 * ```ts
 * const options = readDemoOptions(process.argv.slice(2));
 * options.orders; // 6
 * ```
 */
import { parseArgs } from "node:util";
import { z } from "zod";

export interface DemoOptions {
  readonly json: boolean;
  readonly orders: number;
  readonly timeoutSeconds: number;
}

export const DEMO_USAGE =
  "usage: npm run demo -- [--json] [--orders N (1..500, default 6)] [--timeout SECONDS (1..600, default 60)]";

export class DemoUsageError extends Error {
  override readonly name = "DemoUsageError";
}

const optionsSchema = z.object({
  json: z.boolean(),
  orders: z.coerce.number().int().min(1).max(500),
  timeout: z.coerce.number().min(1).max(600),
});

export const readDemoOptions = (args: readonly string[]): DemoOptions => {
  let values: Record<string, unknown>;
  try {
    ({ values } = parseArgs({
      args: [...args],
      options: {
        json: { type: "boolean", default: false },
        orders: { type: "string", default: "6" },
        timeout: { type: "string", default: "60" },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new DemoUsageError(
      `${error instanceof Error ? error.message : String(error)}\n${DEMO_USAGE}`,
    );
  }
  const parsed = optionsSchema.safeParse(values);
  if (!parsed.success) {
    const issues = parsed.error.issues.map(
      (issue) => `--${issue.path.join(".")}: ${issue.message}`,
    );
    throw new DemoUsageError(`${issues.join("; ")}\n${DEMO_USAGE}`);
  }
  return {
    json: parsed.data.json,
    orders: parsed.data.orders,
    timeoutSeconds: parsed.data.timeout,
  };
};
