/**
 * The dead letters: the `dead-letters list` view with its filters, one letter whole, and the
 * redrive and dry-run actions (the same operations as the command; a redrive asks first, on
 * a page of its own that lists what would move, so it needs no script).
 *
 * @example
 * ```ts
 * const body = deadLettersPage(filters, await data.deadLetters(filters));
 * ```
 */
import type { DeadLetterSummary } from "../../../../shared/dead-letters/inventory";
import { DEAD_LETTER_PLACES } from "../../../../shared/dead-letters/inventory";
import type { RedriveOutcome } from "../../../../shared/dead-letters/inventory/redrive-dead-letters";
import type { LetterFilters } from "../console-data";
import { type Html, html } from "../html";
import { table, timeText } from "../layout";

const select = (
  name: string,
  label: string,
  options: readonly string[],
  chosen: readonly string[] | undefined,
): Html =>
  html`<label for="${name}">${label}</label>
<select id="${name}" name="${name}"><option value="">any</option>${options.map(
    (option) => html`<option${chosen?.includes(option) ? html` selected` : ""}>${option}</option>`,
  )}</select>`;

const textFilter = (name: string, label: string, value: string | undefined): Html =>
  html`<label for="${name}">${label}</label><input id="${name}" name="${name}" value="${value ?? ""}">`;

const filterForm = (filters: LetterFilters): Html =>
  html`<form method="get" action="/dead-letters" class="filters" aria-label="Filters">
${select("place", "Place", DEAD_LETTER_PLACES, filters.place)}
${select("kind", "Kind", ["undecodable", "permanent", "transient-exhausted"], filters.kind)}
${textFilter("function", "Function", filters.function?.[0])}
${textFilter("eventType", "Event type", filters.eventType?.[0])}
<button type="submit">Filter</button>
</form>`;

/** The filters as query parameters, for the redrive form to carry. */
const hiddenFilters = (filters: LetterFilters): Html[] =>
  (["id", "place", "kind", "function", "eventType"] as const).flatMap((name) =>
    (filters[name] ?? []).map(
      (value) => html`<input type="hidden" name="${name}" value="${value}">`,
    ),
  );

const redriveForm = (filters: LetterFilters, count: number): Html =>
  html`<form method="post" action="/dead-letters/redrive" class="actions" aria-label="Redrive">
${hiddenFilters(filters)}
<button type="submit" name="mode" value="dry-run">Dry run: what would move (${count})</button>
<button type="submit" name="mode" value="redrive">Redrive (${count})…</button>
</form>`;

/** Where the record was read: `topic-partition@offset`, or `table#sequence number`. */
const sourceText = (letter: DeadLetterSummary): string =>
  letter.source_topic !== null
    ? `${letter.source_topic}-${letter.source_partition ?? "?"}@${letter.source_offset ?? "?"}`
    : `${letter.table ?? "?"}#${letter.sequence_number ?? "?"}`;

/** The list page. */
export const deadLettersPage = (
  filters: LetterFilters,
  letters: readonly DeadLetterSummary[],
): Html =>
  html`${filterForm(filters)}
${redriveForm(filters, letters.length)}
${table(
  `Dead letters, newest first (${letters.length})`,
  [
    "id",
    "place",
    "source",
    "kind",
    "reason",
    "event",
    "function",
    "attempts",
    "last failure",
    "redriven",
  ],
  letters.map((letter) => [
    html`<a href="/dead-letters/show?id=${letter.id}">${letter.id}</a>`,
    letter.place,
    sourceText(letter),
    letter.kind,
    html`<span class="reason">${letter.reason}</span>`,
    letter.event_type === null
      ? "–"
      : html`${letter.event_type}<br><code>${letter.event_id ?? ""}</code>`,
    letter.function ?? "–",
    letter.attempts ?? "–",
    timeText(letter.last_failure_at),
    letter.redriven_at === null ? "no" : timeText(letter.redriven_at),
  ]),
  "no dead letters",
)}`;

/** One letter whole: its summary and what is stored. */
export const deadLetterPage = (id: string, entry: unknown): Html =>
  entry === null
    ? html`<p role="alert">No dead letter <code>${id}</code>.</p>`
    : html`<p><a href="/dead-letters">All dead letters</a></p><pre>${JSON.stringify(entry, null, 2)}</pre>`;

/** What a redrive or its dry run did, letter by letter. */
export const redrivePage = (dryRun: boolean, outcomes: readonly RedriveOutcome[]): Html =>
  html`<p role="status">${dryRun ? "Dry run: nothing was moved." : "Redrive done."} ${outcomes.length} dead letter(s).</p>
${table(
  dryRun ? "What would move" : "What moved",
  ["id", "outcome", "records", "detail"],
  outcomes.map((outcome) => [outcome.id, outcome.outcome, outcome.records, outcome.detail ?? "–"]),
  "nothing selected",
)}
<p><a href="/dead-letters">Back to the dead letters</a></p>`;

/** Before a redrive: what it would move, and the button that does it. */
export const redriveConfirmPage = (
  filters: LetterFilters,
  wouldMove: readonly RedriveOutcome[],
): Html =>
  html`<p role="alert">Redrive ${wouldMove.length} dead letter(s)? Each goes back where it can be applied; nothing else changes.</p>
${table(
  "What would move",
  ["id", "outcome", "records", "detail"],
  wouldMove.map((outcome) => [outcome.id, outcome.outcome, outcome.records, outcome.detail ?? "–"]),
  "nothing selected",
)}
<form method="post" action="/dead-letters/redrive" class="actions" aria-label="Confirm the redrive">
${hiddenFilters(filters)}
<input type="hidden" name="confirmed" value="yes">
<button type="submit" name="mode" value="redrive">Yes, redrive them</button>
<a href="/dead-letters">No, back to the dead letters</a>
</form>`;
