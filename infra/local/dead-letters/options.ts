/**
 * The dead-letters command line, parsed once: the subcommand (`list`, `show <id>`,
 * `redrive`, `purge`), the filters they share, and each one's own flags. Bad input is a
 * {@link DeadLettersUsageError} that names the flag and prints the usage.
 *
 * @example
 * ```ts
 * readDeadLettersOptions(["list", "--place", "dlq", "--json"], new Date());
 * ```
 */
import { parseArgs } from "node:util";
import { DEAD_LETTER_PLACES } from "../../../shared/dead-letters/inventory";
import type { DeadLetterRequest } from "../../../shared/dead-letters/inventory/operations";

export const DEAD_LETTERS_USAGE = `usage: npm run dead-letters -- <command> [filters] [flags]
  list                               every dead letter, newest first
  show <id>                          one dead letter whole
  redrive [--dry-run] [--rate N] [--again]
  purge --older-than <age> [--yes]
filters: --id ID --place ${DEAD_LETTER_PLACES.join("|")} --kind K --function F
         --event-type T --since <ISO time | age like 30m, 12h, 7d> --limit N (repeatable but --since, --limit)
flags:   --json (one JSON object per line), --stack NAME (a deployed stack)`;

/** The command line is not one the tool understands. */
export class DeadLettersUsageError extends Error {
  override readonly name = "DeadLettersUsageError";
  constructor(problem: string) {
    super(`${problem}\n${DEAD_LETTERS_USAGE}`);
  }
}

/** What the command line asks for. */
export interface DeadLettersOptions {
  readonly request: DeadLetterRequest;
  readonly json: boolean;
  readonly yes: boolean;
  readonly stack: string | undefined;
}

const AGE_UNITS: Readonly<Record<string, number>> = {
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
};

/** An age such as `90s`, `30m`, `12h` or `7d`, in milliseconds. */
export const parseAge = (text: string, flag: string): number => {
  const match = /^(\d+)([smhd])$/.exec(text);
  if (match === null)
    throw new DeadLettersUsageError(`${flag}: "${text}" is no age (e.g. 30m, 12h, 7d)`);
  return Number(match[1]) * (AGE_UNITS[match[2] ?? "s"] ?? 1_000);
};

const parseSince = (text: string, now: Date): string => {
  if (/^\d+[smhd]$/.test(text))
    return new Date(now.getTime() - parseAge(text, "--since")).toISOString();
  const at = new Date(text);
  if (Number.isNaN(at.getTime()))
    throw new DeadLettersUsageError(`--since: "${text}" is no time or age`);
  return at.toISOString();
};

const positiveNumber = (text: string, flag: string, integer: boolean): number => {
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0 || (integer && !Number.isInteger(value))) {
    throw new DeadLettersUsageError(
      `${flag}: "${text}" must be a positive ${integer ? "integer" : "number"}`,
    );
  }
  return value;
};

const OPTIONS = {
  id: { type: "string", multiple: true },
  place: { type: "string", multiple: true },
  kind: { type: "string", multiple: true },
  function: { type: "string", multiple: true },
  "event-type": { type: "string", multiple: true },
  since: { type: "string" },
  limit: { type: "string" },
  json: { type: "boolean", default: false },
  "dry-run": { type: "boolean", default: false },
  rate: { type: "string" },
  again: { type: "boolean", default: false },
  "older-than": { type: "string" },
  yes: { type: "boolean", default: false },
  stack: { type: "string" },
} as const;

type Values = ReturnType<
  typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>
>["values"];

const parse = (args: readonly string[]) => {
  try {
    return parseArgs({ args: [...args], options: OPTIONS, strict: true, allowPositionals: true });
  } catch (error) {
    throw new DeadLettersUsageError(error instanceof Error ? error.message : String(error));
  }
};

const filtersOf = (values: Values, now: Date) => {
  for (const place of values.place ?? []) {
    if (!(DEAD_LETTER_PLACES as readonly string[]).includes(place)) {
      throw new DeadLettersUsageError(
        `--place: "${place}" is none of ${DEAD_LETTER_PLACES.join(", ")}`,
      );
    }
  }
  return {
    ...(values.id === undefined ? {} : { id: values.id }),
    ...(values.place === undefined ? {} : { place: values.place }),
    ...(values.kind === undefined ? {} : { kind: values.kind }),
    ...(values.function === undefined ? {} : { function: values.function }),
    ...(values["event-type"] === undefined ? {} : { eventType: values["event-type"] }),
    ...(values.since === undefined ? {} : { since: parseSince(values.since, now) }),
    ...(values.limit === undefined ? {} : { limit: positiveNumber(values.limit, "--limit", true) }),
  };
};

/** The request the positionals and flags make. */
const requestOf = (positionals: string[], values: Values, now: Date): DeadLetterRequest => {
  const [command, ...rest] = positionals;
  const filters = filtersOf(values, now);
  if (command === "show") {
    if (rest.length !== 1 || rest[0] === undefined)
      throw new DeadLettersUsageError("show takes one id");
    return { command: "show", id: rest[0] };
  }
  if (rest.length > 0) throw new DeadLettersUsageError(`unexpected argument "${rest[0]}"`);
  if (command === "list") return { command: "list", filters };
  if (command === "redrive") {
    const rate =
      values.rate === undefined ? undefined : positiveNumber(values.rate, "--rate", false);
    return {
      command: "redrive",
      filters,
      dryRun: values["dry-run"],
      again: values.again,
      ...(rate === undefined ? {} : { rate }),
    };
  }
  if (command === "purge") {
    if (values["older-than"] === undefined)
      throw new DeadLettersUsageError("purge needs --older-than <age>");
    const before = new Date(
      now.getTime() - parseAge(values["older-than"], "--older-than"),
    ).toISOString();
    return { command: "purge", filters: { ...filters, before } };
  }
  throw new DeadLettersUsageError(
    command === undefined ? "no command" : `unknown command "${command}"`,
  );
};

/** Parses the command line; `now` anchors ages. */
export const readDeadLettersOptions = (args: readonly string[], now: Date): DeadLettersOptions => {
  const { values, positionals } = parse(args);
  return {
    request: requestOf(positionals, values, now),
    json: values.json,
    yes: values.yes,
    stack: values.stack,
  };
};
