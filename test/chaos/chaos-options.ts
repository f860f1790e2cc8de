/**
 * The chaos run's command line, parsed once. Every figure has a default (the full run of
 * `npm run chaos`); `--short` starts from the short run that `npm test` runs instead, and the
 * other flags still override it.
 *
 * @example
 * ```ts
 * const options = readChaosOptions(["--minutes", "2", "--orders", "200"]);
 * options.throttleSeconds; // 60
 * ```
 */
import { parseArgs } from "node:util";
import { z } from "zod";

export interface ChaosOptions {
  readonly json: boolean;
  /** How long the load runs, in minutes; the faults are spread over it. */
  readonly minutes: number;
  /** Orders placed over the run, each shipped, cancelled or kept. */
  readonly orders: number;
  /** Concurrent HTTP clients. */
  readonly clients: number;
  /** How long the functions' writes are throttled. */
  readonly throttleSeconds: number;
  /** How long the read model's transactions conflict at `conflictRate`. */
  readonly conflictSeconds: number;
  readonly conflictRate: number;
  /** How long a broker response is held: past the functions' 10 s request timeout. */
  readonly delayMs: number;
  /** How many Produce responses are held. */
  readonly delays: number;
  /** How long the killed broker stays down before it is started again. */
  readonly brokerDownSeconds: number;
  /** How long, at most, the run waits for the system to settle after the load. */
  readonly settleSeconds: number;
  /** Seed of the faults' random draws and of the orders' items. */
  readonly seed: number;
}

/** The full run. */
export const FULL_CHAOS: Omit<ChaosOptions, "json"> = {
  minutes: 3,
  orders: 300,
  clients: 4,
  throttleSeconds: 60,
  conflictSeconds: 30,
  conflictRate: 0.2,
  delayMs: 12_000,
  delays: 3,
  brokerDownSeconds: 10,
  settleSeconds: 300,
  seed: 1,
};

/** The short run inside `npm test`: every fault kind once, a smaller load. */
export const SHORT_CHAOS: Omit<ChaosOptions, "json"> = {
  minutes: 0.8,
  orders: 60,
  clients: 3,
  throttleSeconds: 6,
  conflictSeconds: 5,
  conflictRate: 0.2,
  delayMs: 11_000,
  delays: 1,
  brokerDownSeconds: 3,
  settleSeconds: 150,
  seed: 1,
};

export const CHAOS_USAGE = `usage: npm run chaos -- [--json] [--short] [--minutes M] [--orders N] [--clients C]
                        [--throttle-seconds S] [--conflict-seconds S] [--conflict-rate R]
                        [--delay-ms MS] [--delays N] [--broker-down-seconds S]
                        [--settle-timeout S] [--seed N]
  defaults: ${JSON.stringify(FULL_CHAOS)}
  --short:  ${JSON.stringify(SHORT_CHAOS)}`;

export class ChaosUsageError extends Error {
  override readonly name = "ChaosUsageError";
}

const FLAGS = {
  minutes: "minutes",
  orders: "orders",
  clients: "clients",
  "throttle-seconds": "throttleSeconds",
  "conflict-seconds": "conflictSeconds",
  "conflict-rate": "conflictRate",
  "delay-ms": "delayMs",
  delays: "delays",
  "broker-down-seconds": "brokerDownSeconds",
  "settle-timeout": "settleSeconds",
  seed: "seed",
} as const satisfies Record<string, keyof Omit<ChaosOptions, "json">>;

const number = z.coerce.number();
const schema = z.object({
  minutes: number.min(0.25).max(120),
  orders: number.int().min(3).max(20_000),
  clients: number.int().min(1).max(32),
  throttleSeconds: number.min(1).max(3_600),
  conflictSeconds: number.min(1).max(3_600),
  conflictRate: number.gt(0).max(1),
  // Past the functions' request timeout (KAFKA_REQUEST_TIMEOUT_MS, 10 s by default).
  delayMs: number.int().min(1_000).max(120_000),
  delays: number.int().min(1).max(100),
  brokerDownSeconds: number.min(0).max(600),
  settleSeconds: number.min(10).max(3_600),
  seed: number.int().min(0),
});

export const readChaosOptions = (args: readonly string[]): ChaosOptions => {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...args],
      options: {
        json: { type: "boolean", default: false },
        short: { type: "boolean", default: false },
        ...Object.fromEntries(Object.keys(FLAGS).map((flag) => [flag, { type: "string" }])),
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new ChaosUsageError(
      `${error instanceof Error ? error.message : String(error)}\n${CHAOS_USAGE}`,
    );
  }
  const base = values.short === true ? SHORT_CHAOS : FULL_CHAOS;
  const given = Object.fromEntries(
    Object.entries(FLAGS).flatMap(([flag, key]) =>
      values[flag] === undefined ? [] : [[key, values[flag]]],
    ),
  );
  const parsed = schema.safeParse({ ...base, ...given });
  if (!parsed.success) {
    const flagOf = (key: PropertyKey) =>
      Object.entries(FLAGS).find(([, name]) => name === key)?.[0] ?? String(key);
    const issues = parsed.error.issues.map(
      (issue) => `--${flagOf(issue.path[0] ?? "")}: ${issue.message}`,
    );
    throw new ChaosUsageError(`${issues.join("; ")}\n${CHAOS_USAGE}`);
  }
  return { json: values.json === true, ...parsed.data };
};
