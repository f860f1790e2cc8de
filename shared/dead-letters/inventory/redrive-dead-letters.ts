/**
 * Redrive: each selected dead letter's records back where they were going. A Kafka dead
 * letter (DLQ or on-failure topic) goes back to its source topic with its original key,
 * value and headers; an outbox item (parked poison, or a stream batch Lambda gave up on)
 * goes through the relay's own `relayOutboxRecords`, in sequence order, so it is published
 * exactly as the relay would have, and parked again with its reason if it is still poison,
 * keeping the function and time of its first failure.
 *
 * Each is marked redriven in the ledger with the time taken before it was sent; a letter
 * that fails again after that time (a re-parked item) shows as not redriven. A crash between
 * sending and marking sends it again on the next run: consumers apply each `event_id` once.
 *
 * @example
 * ```ts
 * const report = await redriveDeadLetters(selected, { sender, relay, ledger, rate: 50, again: false });
 * ```
 */
import type { MessageSender } from "../../kafka/outgoing-message";
import type {
  FirstFailure,
  OutboxDeadLetters,
  PoisonOutboxItem,
} from "../../outbox/outbox-dead-letters";
import { relayOutboxRecords } from "../../outbox/outbox-relay";
import { redriveMessage } from "../read-dead-letter";
import type { RedriveLedger } from "./redrive-ledger";
import type { DeadLetterEntry } from "./types";

/** The relay's settings a redrive of outbox items publishes with. */
export interface RelaySettings {
  readonly deadLetters: OutboxDeadLetters;
  readonly maxMessageBytes: number;
  readonly topics: ReadonlySet<string>;
}

/** What a redrive sends with and marks in. */
export interface RedriveDependencies {
  readonly sender: MessageSender;
  readonly relay: RelaySettings;
  readonly ledger: RedriveLedger;
  /** Records per second at most; unbounded when absent. */
  readonly rate?: number;
  /** Redrive letters already redriven too. */
  readonly again: boolean;
  readonly dryRun: boolean;
  /** Called once per letter, with what happened to it. */
  readonly onOutcome?: (outcome: RedriveOutcome) => void;
  readonly sleep?: (ms: number) => Promise<void>;
}

/** What happened to one letter. */
export interface RedriveOutcome {
  readonly id: string;
  /** `still-poison`: every record was parked again as poison, with `detail` the reason. */
  readonly outcome: "redriven" | "still-poison" | "would-redrive" | "skipped" | "failed";
  readonly records: number;
  readonly detail: string | null;
}

/** The relay could not publish a record of a redriven batch; the letter stays unmarked. */
export class RedriveRelayError extends Error {
  override readonly name = "RedriveRelayError";
}

const pace = (rate: number | undefined, sleep: (ms: number) => Promise<void>) => {
  let next = Date.now();
  return async (records: number): Promise<void> => {
    if (rate === undefined) return;
    const wait = next - Date.now();
    if (wait > 0) await sleep(wait);
    next = Math.max(next, Date.now()) + (records * 1000) / rate;
  };
};

/**
 * The relay's dead-letter place for one letter's records. An item parked again keeps the
 * letter's first failure, so `list --function` still finds it where it first failed; the
 * reasons of those parked again are kept for the redrive's outcome.
 */
class Reparking implements OutboxDeadLetters {
  readonly reasons: string[] = [];
  readonly #deadLetters: OutboxDeadLetters;
  readonly #firstFailure: FirstFailure;

  constructor(deadLetters: OutboxDeadLetters, entry: DeadLetterEntry) {
    this.#deadLetters = deadLetters;
    this.#firstFailure = {
      at: new Date(entry.summary.first_failure_at),
      functionName: entry.summary.function,
    };
  }

  async put(item: PoisonOutboxItem): Promise<void> {
    await this.#deadLetters.put({ ...item, firstFailure: this.#firstFailure });
    this.reasons.push(item.reason);
  }
}

/**
 * Sends one letter's records, paced one record at a time, in their order. Returns the
 * reasons of the records the relay's code found still poison and parked again.
 */
const send = async (
  entry: DeadLetterEntry,
  dependencies: RedriveDependencies,
  paced: (records: number) => Promise<void>,
): Promise<readonly string[]> => {
  const { payload } = entry;
  if (payload.kind === "kafka") {
    for (const record of payload.records) {
      await paced(1);
      await dependencies.sender.send([redriveMessage(record)]);
    }
    return [];
  }
  const deadLetters = new Reparking(dependencies.relay.deadLetters, entry);
  const relay = { ...dependencies.relay, sender: dependencies.sender, deadLetters };
  for (const record of payload.records) {
    await paced(1);
    // One record per call: the relay's own classification, message and poison parking.
    const { report } = await relayOutboxRecords([record], relay);
    if (report.failed > 0) {
      throw new RedriveRelayError(report.failure?.message ?? "the relay could not publish it");
    }
  }
  return deadLetters.reasons;
};

/** Why a letter is not redriven this time, if it is not. */
const skipReason = (entry: DeadLetterEntry, again: boolean): string | null => {
  if (entry.summary.not_redrivable !== null) return entry.summary.not_redrivable;
  if (entry.summary.redriven_at !== null && !again) {
    return `already redriven at ${entry.summary.redriven_at} (--again to redrive it anyway)`;
  }
  return null;
};

/** Redrives the letters in order; a failed one is reported and the rest go on. */
export const redriveDeadLetters = async (
  entries: readonly DeadLetterEntry[],
  dependencies: RedriveDependencies,
): Promise<RedriveOutcome[]> => {
  const sleep = dependencies.sleep ?? ((ms) => new Promise((done) => setTimeout(done, ms)));
  const paced = pace(dependencies.rate, sleep);
  const outcomes: RedriveOutcome[] = [];
  for (const entry of entries) {
    const outcome = await redriveOne(entry, dependencies, paced);
    outcomes.push(outcome);
    dependencies.onOutcome?.(outcome);
  }
  return outcomes;
};

const redriveOne = async (
  entry: DeadLetterEntry,
  dependencies: RedriveDependencies,
  paced: (records: number) => Promise<void>,
): Promise<RedriveOutcome> => {
  const { id, records } = entry.summary;
  const skip = skipReason(entry, dependencies.again);
  if (skip !== null) return { id, outcome: "skipped", records, detail: skip };
  if (dependencies.dryRun) return { id, outcome: "would-redrive", records, detail: null };
  const startedAt = new Date();
  let parkedAgain: readonly string[];
  try {
    parkedAgain = await send(entry, dependencies, paced);
  } catch (error) {
    const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    return { id, outcome: "failed", records, detail };
  }
  // Marked either way: a letter parked again at its own key fails after its mark, so it
  // still shows not redriven; an aged-out batch's records now are letters of their own.
  await dependencies.ledger.mark("redriven", id, startedAt);
  const [reason] = parkedAgain;
  if (reason === undefined) return { id, outcome: "redriven", records, detail: null };
  if (parkedAgain.length === records) {
    return { id, outcome: "still-poison", records, detail: `parked again: ${reason}` };
  }
  const detail = `${parkedAgain.length} of ${records} record(s) still poison, parked again: ${reason}`;
  return { id, outcome: "redriven", records, detail };
};
