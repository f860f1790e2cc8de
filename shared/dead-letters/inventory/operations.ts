/**
 * The dead-letters tool's operations as plain JSON requests and answers, so the command line
 * runs them the same way in-process (locally) or through the deployed dead-letters function
 * (on AWS): `list`, `show`, `redrive` and `purge`.
 *
 * @example
 * ```ts
 * const answer = await runDeadLetterOperation({ command: "list", filters: { place: ["dlq"] } }, dependencies);
 * ```
 */
import * as z from "zod/mini";
import "../../config/zod-messages";
import {
  type DeadLetterPlaces,
  readInventory,
  type UnreadableLetter,
} from "./dead-letter-inventory";
import { selectEntries } from "./filters";
import { purgeDeadLetters } from "./purge-dead-letters";
import {
  type RedriveDependencies,
  type RedriveOutcome,
  redriveDeadLetters,
} from "./redrive-dead-letters";
import type { DeadLetterSummary, StoredLetter } from "./types";

const list = z.optional(z.array(z.string().check(z.minLength(1))));
const filtersSchema = z.strictObject({
  id: list,
  place: list,
  kind: list,
  function: list,
  eventType: list,
  since: z.optional(z.iso.datetime()),
  before: z.optional(z.iso.datetime()),
  limit: z.optional(z.int().check(z.gte(1))),
});

/** A request, as the command line sends it (to the function, on AWS). */
export const deadLetterRequestSchema = z.discriminatedUnion("command", [
  z.strictObject({ command: z.literal("list"), filters: filtersSchema }),
  z.strictObject({ command: z.literal("show"), id: z.string().check(z.minLength(1)) }),
  z.strictObject({
    command: z.literal("redrive"),
    filters: filtersSchema,
    dryRun: z.boolean(),
    again: z.boolean(),
    rate: z.optional(z.number().check(z.positive())),
  }),
  z.strictObject({ command: z.literal("purge"), filters: filtersSchema }),
]);

/** One of the four requests. */
export type DeadLetterRequest = z.infer<typeof deadLetterRequestSchema>;

/** The answer to a request. */
export type DeadLetterAnswer =
  | {
      readonly command: "list";
      readonly entries: readonly DeadLetterSummary[];
      readonly unreadable: readonly UnreadableLetter[];
    }
  | {
      readonly command: "show";
      readonly entry: (DeadLetterSummary & { readonly stored: StoredLetter }) | null;
    }
  | { readonly command: "redrive"; readonly outcomes: readonly RedriveOutcome[] }
  | { readonly command: "purge"; readonly dropped: readonly DeadLetterSummary[] };

/** The places, and what a redrive sends with. */
export interface OperationDependencies {
  readonly places: DeadLetterPlaces;
  readonly redrive: Pick<RedriveDependencies, "sender" | "relay" | "sleep">;
}

const toFilters = (filters: z.infer<typeof filtersSchema>) => ({
  ...filters,
  since: filters.since === undefined ? undefined : new Date(filters.since),
  before: filters.before === undefined ? undefined : new Date(filters.before),
});

/**
 * Runs one request.
 *
 * @throws {z.core.$ZodError} when the request is malformed (the function gets untyped JSON).
 */
export const runDeadLetterOperation = async (
  input: unknown,
  dependencies: OperationDependencies,
): Promise<DeadLetterAnswer> => {
  const request = deadLetterRequestSchema.parse(input);
  const { entries, unreadable } = await readInventory(dependencies.places);
  if (request.command === "show") {
    const entry = entries.find((each) => each.summary.id === request.id);
    return {
      command: "show",
      entry: entry === undefined ? null : { ...entry.summary, stored: entry.stored },
    };
  }
  const selected = selectEntries(entries, toFilters(request.filters));
  if (request.command === "list") {
    return { command: "list", entries: selected.map((entry) => entry.summary), unreadable };
  }
  if (request.command === "purge") {
    await purgeDeadLetters(selected, {
      ...dependencies.places,
      ledger: dependencies.places.ledger,
    });
    return { command: "purge", dropped: selected.map((entry) => entry.summary) };
  }
  const outcomes = await redriveDeadLetters(selected, {
    ...dependencies.redrive,
    ledger: dependencies.places.ledger,
    again: request.again,
    dryRun: request.dryRun,
    ...(request.rate === undefined ? {} : { rate: request.rate }),
  });
  return { command: "redrive", outcomes };
};
