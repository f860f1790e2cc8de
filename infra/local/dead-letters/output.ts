/**
 * What the command prints: with `--json` one JSON object per line (a summary per dead
 * letter, an outcome per redriven one, `docs/operations.md` names the fields); otherwise a
 * table for people. Unreadable letters go to stderr, never silently dropped.
 *
 * @example
 * ```ts
 * printAnswer(answer, { json: false, write: (line) => process.stdout.write(`${line}\n`) });
 * ```
 */
import type { DeadLetterAnswer, DeadLetterSummary } from "../../../shared/dead-letters/inventory";

/** Where lines go. */
export interface Output {
  readonly json: boolean;
  readonly write: (line: string) => void;
  readonly warn: (line: string) => void;
}

/** `--json`'s fields, in the order printed (`docs/operations.md`). */
const SUMMARY_FIELDS: readonly (keyof DeadLetterSummary)[] = [
  "id",
  "place",
  "source_topic",
  "source_partition",
  "source_offset",
  "table",
  "sequence_number",
  "records",
  "event_type",
  "event_id",
  "kind",
  "reason",
  "error_class",
  "function",
  "attempts",
  "first_failure_at",
  "last_failure_at",
  "redriven_at",
  "not_redrivable",
];

const sourceOf = (entry: DeadLetterSummary): string =>
  entry.source_topic !== null
    ? `${entry.source_topic}/${entry.source_partition}@${entry.source_offset}`
    : `${entry.table ?? "?"}#${entry.sequence_number ?? "?"}${entry.records > 1 ? ` (+${entry.records - 1})` : ""}`;

/** One line per dead letter for people. */
export const summaryLine = (entry: DeadLetterSummary): string =>
  [
    entry.id,
    entry.place,
    entry.kind,
    sourceOf(entry),
    `${entry.event_type ?? "-"} ${entry.event_id ?? "-"}`,
    `fn=${entry.function ?? "-"} attempts=${entry.attempts ?? "-"}`,
    `failed ${entry.first_failure_at}..${entry.last_failure_at}`,
    entry.redriven_at === null ? "not redriven" : `redriven ${entry.redriven_at}`,
    `reason: ${entry.reason}`,
  ].join(" | ");

const printEntries = (
  entries: readonly DeadLetterSummary[],
  output: Output,
  empty: string,
): void => {
  if (output.json) {
    for (const entry of entries) output.write(JSON.stringify(entry, [...SUMMARY_FIELDS]));
    return;
  }
  if (entries.length === 0) output.write(empty);
  for (const entry of entries) output.write(summaryLine(entry));
};

/** Prints an answer; returns the exit code (1 when a letter is missing or a redrive failed). */
export const printAnswer = (answer: DeadLetterAnswer, output: Output): number => {
  switch (answer.command) {
    case "list":
      for (const bad of answer.unreadable) output.warn(`unreadable: ${bad.where}: ${bad.error}`);
      printEntries(answer.entries, output, "no dead letters");
      return 0;
    case "show":
      if (answer.entry === null) {
        output.warn("no dead letter has that id (npm run dead-letters -- list shows the ids)");
        return 1;
      }
      output.write(JSON.stringify(answer.entry, null, output.json ? undefined : 2));
      return 0;
    case "purge":
      printEntries(answer.dropped, output, "nothing to purge");
      if (!output.json) output.write(`purged ${answer.dropped.length} dead letter(s)`);
      return 0;
    case "redrive":
      for (const outcome of answer.outcomes) {
        output.write(
          output.json
            ? JSON.stringify(outcome)
            : `${outcome.outcome} ${outcome.id} (${outcome.records} record(s))${outcome.detail === null ? "" : `: ${outcome.detail}`}`,
        );
      }
      if (!output.json) output.write(`${answer.outcomes.length} dead letter(s) considered`);
      // What was asked did not all go: a send failed, or a letter is still poison.
      return answer.outcomes.some(
        ({ outcome }) => outcome === "failed" || outcome === "still-poison",
      )
        ? 1
        : 0;
  }
};
