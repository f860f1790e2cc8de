/**
 * The dead letters of a demo run's records: read with the shared `readDeadLetter` (original
 * bytes and headers plus the `dlq_*` metadata), kept when they name a record of the run's
 * topic at or after the run's start offsets, indexed by that source record.
 *
 * @example
 * ```ts
 * const { bySource } = deadLettersOfRun(observation);
 * bySource.get("2@14")?.errorClass; // "MalformedEventError"
 * ```
 */
import { readDeadLetter } from "../../../shared/dead-letters";
import { type DemoObservation, recordAt } from "./demo-observation";

export interface DeadLetterAccount {
  readonly partition: number;
  readonly offset: number;
  /** The malformed record's label when the demo wrote it. */
  readonly label: string | undefined;
  readonly kind: string;
  readonly errorClass: string;
  readonly errorMessage: string;
  readonly functionName: string;
  readonly attempts: number;
}

export interface RunDeadLetters {
  /** By source record ("partition@offset"); the last dead letter of a record wins. */
  readonly bySource: ReadonlyMap<string, DeadLetterAccount>;
  /** Dead letters of earlier records or other topics, or records that are no dead letters. */
  readonly other: number;
}

export const deadLettersOfRun = (
  observation: Pick<DemoObservation, "topic" | "start" | "deadLetters" | "malformed">,
): RunDeadLetters => {
  const labels = new Map(
    observation.malformed.map((sent) => [recordAt(sent.partition, sent.offset), sent.label]),
  );
  const bySource = new Map<string, DeadLetterAccount>();
  let other = 0;
  for (const record of observation.deadLetters) {
    let letter: ReturnType<typeof readDeadLetter>;
    try {
      letter = readDeadLetter(record);
    } catch {
      other += 1;
      continue;
    }
    const { original, failure } = letter;
    const start = observation.start.get(original.partition);
    if (original.topic !== observation.topic || start === undefined || original.offset < start) {
      other += 1;
      continue;
    }
    const source = recordAt(original.partition, original.offset);
    bySource.set(source, {
      partition: original.partition,
      offset: original.offset,
      label: labels.get(source),
      kind: failure.kind,
      errorClass: failure.errorClass,
      errorMessage: failure.errorMessage,
      functionName: failure.functionName,
      attempts: failure.attempts,
    });
  }
  return { bySource, other };
};
