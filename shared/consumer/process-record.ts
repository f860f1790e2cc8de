/**
 * What a consumer does with one record, and what came of it, in the manner of Powertools'
 * `BatchProcessor.processRecord`: the record is read in its producer's trace; another
 * function's record is skipped; this function's event is applied in the record's span,
 * transient failures retried with backoff within the time budget; poison (undecodable,
 * breaking its contract, or refused by the effect as a `PermanentError`) comes back with what
 * its dead letter needs, and so does a transient failure of a record older than the age bound
 * (`transient-exhausted`). The caller decides what the outcomes add up to.
 */
import { context as traceContext } from "@opentelemetry/api";
import type { DeadLetterKind } from "../dead-letters/constants";
import type { FailedRecord } from "../dead-letters/types";
import { isPermanent } from "../errors";
import type { KafkaRecord } from "../kafka/kafka-record";
import type { RecordDecodeError } from "../kafka/record-decode-error";
import { errorLogKeys, type Logger, recordLogKeys } from "../observability/logger";
import { failActiveSpan, withRecordSpan } from "../observability/spans";
import { contextFromKafkaRecord } from "../observability/trace-context";
import { RECORD_SPAN_OPERATION } from "./constants";
import { deadLetterKindOf } from "./dead-letter-kind";
import { type FailureTrail, type RetryOptions, retryTransient } from "./retry-backoff";
import { isPastTransientBound, recordAgeMs } from "./transient-bound";
import type { ApplyEvent, RecordReader } from "./types";

/**
 * What came of one record: its event applied or found applied before, another function's
 * record skipped, poison to dead-letter, or failed for now (Lambda delivers it again, and the
 * later records of its key wait for it).
 *
 * @example
 * ```ts
 * const outcome = await processRecord(record, context);
 * if (outcome.status === "poison") deadLetters.push(outcome.failed);
 * ```
 */
export type RecordOutcome =
  | { readonly status: "applied" }
  | { readonly status: "duplicate" }
  | { readonly status: "skipped" }
  | { readonly status: "poison"; readonly failed: FailedRecord }
  | { readonly status: "failed"; readonly error: unknown };

/**
 * What {@link processRecord} needs: the consumer's reader and effect, how the effect is
 * retried (the policy and the invocation's time budget), the age past which a transient
 * failure is dead-lettered, the logger and the clock.
 *
 * @example
 * ```ts
 * const context: RecordContext<OrderEvent> = {
 *   functionName: "order-created", read, apply, logger, now: () => new Date(),
 *   retry: { policy: settings.retry, canWait: budget.canWait }, transientMaxAgeSeconds: 18_000,
 * };
 * ```
 */
export interface RecordContext<E> {
  readonly functionName: string;
  readonly read: RecordReader<E>;
  readonly apply: ApplyEvent<E>;
  readonly retry: RetryOptions;
  readonly transientMaxAgeSeconds: number;
  readonly logger: Logger;
  readonly now: () => Date;
}

const APPLIED: RecordOutcome = { status: "applied" };
const DUPLICATE: RecordOutcome = { status: "duplicate" };
const SKIPPED: RecordOutcome = { status: "skipped" };

const failedRecord = (
  record: KafkaRecord,
  error: unknown,
  functionName: string,
  trail: FailureTrail,
  kind: DeadLetterKind = deadLetterKindOf(error),
): FailedRecord => ({ record, error, kind, functionName, ...trail });

/**
 * Fails the record's span and logs why. Telling of a failure must not lose the record: when
 * it throws (a broken logger), the record is settled all the same, by its own error.
 */
const tellFailure = (error: unknown, log: () => void): void => {
  try {
    failActiveSpan(error);
    log();
  } catch {
    // Nothing more to tell it with; the outcome carries the record's own error.
  }
};

/**
 * One line per event, in its trace: what links a request's trace id to every consumer's logs.
 * The effect is done by then, so a logger that throws must not turn it into a failure.
 */
const tellApplied = <E>(record: KafkaRecord, applied: boolean, context: RecordContext<E>) => {
  try {
    context.logger.info(applied ? "Event applied" : "Event already applied", recordLogKeys(record));
  } catch {
    // The record was applied; only its line is lost.
  }
};

const poisonOutcome = <E>(
  record: KafkaRecord,
  error: RecordDecodeError,
  context: RecordContext<E>,
): RecordOutcome => {
  tellFailure(error, () => {
    const keys = { ...recordLogKeys(record), ...errorLogKeys(error) };
    if (error.unexpected) {
      context.logger.error(
        "Reading the record threw; dead-lettering it (is its contract at fault?)",
        keys,
      );
    } else context.logger.warn("Record is poison; dead-lettering it", keys);
  });
  const at = context.now();
  return {
    status: "poison",
    failed: failedRecord(record, error, context.functionName, {
      attempts: 1,
      firstFailureAt: at,
      lastFailureAt: at,
    }),
  };
};

/**
 * A transient failure of a record past the age bound: dead-lettered as `transient-exhausted`,
 * with the attempts and failure times of this invocation (the earlier ones are not known), and
 * said as an error, since the failure has lasted longer than the bound allows.
 */
const exhaustedOutcome = <E>(
  record: KafkaRecord,
  error: unknown,
  trail: FailureTrail,
  context: RecordContext<E>,
): RecordOutcome => {
  tellFailure(error, () => {
    const ageMs = recordAgeMs(record, trail.lastFailureAt);
    context.logger.error("Transient failure outlasted the age bound; dead-lettering the record", {
      ...recordLogKeys(record),
      ...errorLogKeys(error),
      attempts: trail.attempts,
      ...(ageMs === undefined ? {} : { recordAgeSeconds: Math.floor(ageMs / 1000) }),
      transientMaxAgeSeconds: context.transientMaxAgeSeconds,
    });
  });
  const kind = "transient-exhausted";
  return {
    status: "poison",
    failed: failedRecord(record, error, context.functionName, trail, kind),
  };
};

/**
 * A permanent failure is poison; a transient one leaves the record for Lambda to deliver
 * again, unless the record is past the age bound.
 */
const gaveUpOutcome = <E>(
  record: KafkaRecord,
  error: unknown,
  trail: FailureTrail,
  context: RecordContext<E>,
): RecordOutcome => {
  const permanent = isPermanent(error);
  if (
    !permanent &&
    isPastTransientBound(record, trail.lastFailureAt, context.transientMaxAgeSeconds)
  ) {
    return exhaustedOutcome(record, error, trail, context);
  }
  tellFailure(error, () =>
    context.logger.warn(
      permanent
        ? "Event cannot be applied; dead-lettering it"
        : "Event could not be applied; leaving it for Lambda to deliver again",
      { ...recordLogKeys(record), ...errorLogKeys(error), attempts: trail.attempts },
    ),
  );
  return permanent
    ? { status: "poison", failed: failedRecord(record, error, context.functionName, trail) }
    : { status: "failed", error };
};

const applyEvent = async <E>(
  record: KafkaRecord,
  event: E,
  context: RecordContext<E>,
): Promise<RecordOutcome> => {
  const effectContext = { record, functionName: context.functionName };
  const result = await retryTransient(() => context.apply(event, effectContext), context.retry);
  if (!result.ok) return gaveUpOutcome(record, result.error, result.trail, context);
  const applied = result.value === "applied";
  tellApplied(record, applied, context);
  return applied ? APPLIED : DUPLICATE;
};

/**
 * Reads one record and applies its event, or tells why not. Never rejects: a record whose
 * span cannot start, or whose reader throws, fails alone, and Lambda delivers it again (past
 * the age bound, it is dead-lettered as `transient-exhausted` instead).
 *
 * @example
 * ```ts
 * const outcome = await processRecord(record, context);
 * outcome.status; // "applied" | "duplicate" | "skipped" | "poison" | "failed"
 * ```
 */
export const processRecord = async <E>(
  record: KafkaRecord,
  context: RecordContext<E>,
): Promise<RecordOutcome> => {
  try {
    // Read in the record's trace, so a contract or an upcaster that logs does so in it; an
    // other function's record gets no span, as the trigger's filter should have left it out.
    const parent = contextFromKafkaRecord(record);
    const reading = traceContext.with(parent, () => context.read(record));
    if (reading.kind === "foreign") return SKIPPED;
    return await withRecordSpan(
      record,
      RECORD_SPAN_OPERATION,
      async () =>
        reading.kind === "event"
          ? applyEvent(record, reading.event, context)
          : poisonOutcome(record, reading.error, context),
      parent,
    );
  } catch (error) {
    // Not the effect's failure but the framework's (tracing not set up, a reader that threw):
    // said loudly, since it fails every record alike.
    tellFailure(error, () =>
      context.logger.error("The record could not be processed", {
        ...recordLogKeys(record),
        ...errorLogKeys(error),
      }),
    );
    const at = context.now();
    if (isPastTransientBound(record, at, context.transientMaxAgeSeconds)) {
      const trail = { attempts: 1, firstFailureAt: at, lastFailureAt: at };
      return exhaustedOutcome(record, error, trail, context);
    }
    return { status: "failed", error };
  }
};
