/**
 * `npm run event`: parses its arguments, prints a sample event (stdout, JSON) or writes the
 * shipped samples under `events/`; `--help` is generated from the wiring and the contracts.
 * Exit codes: 0 done, 2 bad usage (named on stderr).
 *
 * @example
 * ```ts
 * process.exitCode = runEventCommand(process.argv.slice(2), systemWiring, process.env, io);
 * ```
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { parseArgs } from "node:util";
import { orderEventTypes } from "../../../shared/orders/order-events";
import type { SystemWiring } from "../../wiring/types";
import { poisonKinds } from "./msk-sample";
import { SAMPLE_KINDS, type SampleKind, type SamplePlace, sampleEvent } from "./sample-event";
import { sampleFileEvent, sampleFiles } from "./sample-files";
import { sampleTargets } from "./sample-targets";

/** Where the command writes. */
export interface CommandOutput {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
}

const OPTIONS = {
  type: { type: "string", multiple: true },
  order: { type: "string" },
  records: { type: "string" },
  partitions: { type: "string" },
  poison: { type: "string", multiple: true },
  route: { type: "string" },
  param: { type: "string", multiple: true },
  seed: { type: "string" },
  "write-samples": { type: "boolean" },
  dir: { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

/** The help text, from the wiring: every kind with its targets, every option with its values. */
export const eventHelp = (wiring: SystemWiring): string => {
  const targets = sampleTargets(wiring);
  const kafka = targets.kafka.map((t) => t.functionName ?? t.topic);
  return [
    "usage: npm run event -- <kind> [function|topic|table] [options]",
    "       npm run event -- --write-samples [--dir events]",
    "",
    "kinds:",
    `  msk              a Kafka batch for: ${kafka.join(", ")} (default ${kafka[0] ?? "-"})`,
    `  dynamodb-stream  outbox INSERTs for: ${targets.streams.map((t) => `${t.functionName} (${t.table})`).join(", ")}`,
    "  http             an API Gateway HTTP API 2.0 request for a route:",
    ...targets.routes.map(
      (t) => `                     --route "${t.routeKey}"   (${t.functionName})`,
    ),
    "",
    "options:",
    `  --type T         event type, repeatable: ${orderEventTypes.join(", ")} (default: what the trigger takes)`,
    "  --order ID       every record's order, and {id} of a route (default: the sample's order)",
    "  --records N      valid records (default: one per type; 0 with --poison for poison only)",
    "  --partitions N   msk: spread the records over N partitions (default 1)",
    `  --poison KIND    msk: add a malformed record, repeatable: ${poisonKinds.join(", ")}`,
    "  --param N=V      http: a path parameter",
    "  --seed S         the same seed gives the same event (ids and times)",
    "  --write-samples  write the shipped samples (one per trigger and route) under --dir",
  ].join("\n");
};

class UsageError extends Error {
  override readonly name = "UsageError";
}

const count = (text: string | undefined, name: string, least: number): number | undefined => {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isInteger(value) || value < least || value > 10_000)
    throw new UsageError(`--${name} must be a whole number from ${least} to 10000, not "${text}"`);
  return value;
};

const parametersOf = (pairs: readonly string[]): Record<string, string> =>
  Object.fromEntries(
    pairs.map((pair) => {
      const at = pair.indexOf("=");
      if (at <= 0) throw new UsageError(`--param takes name=value, not "${pair}"`);
      return [pair.slice(0, at), pair.slice(at + 1)];
    }),
  );

const writeSamples = (wiring: SystemWiring, dir: string, output: CommandOutput): void => {
  for (const file of sampleFiles(wiring)) {
    const path = join(dir, file.path);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, `${JSON.stringify(sampleFileEvent(wiring, file), null, 2)}\n`);
    output.err(`wrote ${path}\n`);
  }
};

/** Runs the command; returns its exit code. */
export const runEventCommand = (
  argv: readonly string[],
  wiring: SystemWiring,
  place: SamplePlace & { readonly root: string },
  output: CommandOutput,
): number => {
  try {
    const { values, positionals } = parseArgs({
      args: [...argv],
      options: OPTIONS,
      allowPositionals: true,
    });
    if (values.help === true) {
      output.out(`${eventHelp(wiring)}\n`);
      return 0;
    }
    if (values["write-samples"] === true) {
      writeSamples(wiring, join(place.root, values.dir ?? "events"), output);
      return 0;
    }
    const [kind, target, ...extra] = positionals;
    if (!SAMPLE_KINDS.includes(kind as SampleKind))
      throw new UsageError(
        `${kind === undefined ? "no kind" : `unknown kind "${kind}"`}: one of ${SAMPLE_KINDS.join(", ")}`,
      );
    if (extra.length > 0) throw new UsageError(`unexpected arguments: ${extra.join(" ")}`);
    const event = sampleEvent(
      wiring,
      {
        kind: kind as SampleKind,
        target,
        types: values.type ?? [],
        orderId: values.order,
        records: count(values.records, "records", 0),
        partitions: count(values.partitions, "partitions", 1) ?? 1,
        poison: values.poison ?? [],
        route: values.route,
        parameters: parametersOf(values.param ?? []),
        seed: values.seed,
      },
      place,
    );
    output.out(`${JSON.stringify(event, null, 2)}\n`);
    return 0;
  } catch (error) {
    if (!(error instanceof Error)) throw error;
    output.err(
      `npm run event: ${error.message}\n(npm run event -- --help lists kinds and options)\n`,
    );
    return 2;
  }
};
