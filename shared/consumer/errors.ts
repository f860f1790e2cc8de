/**
 * Errors of the Kafka consumer.
 */
import { TransientError } from "../errors";
import type { BatchReport } from "./types";

/**
 * Thrown in on-demand mode when records of the batch are not done: Lambda then delivers the
 * whole batch again, and effects already applied are found applied (exactly-once effects).
 *
 * @example
 * ```ts
 * if (mode === "on-demand" && report.failed > 0) throw new BatchIncompleteError(report);
 * ```
 */
export class BatchIncompleteError extends TransientError {
  override readonly name = "BatchIncompleteError";

  constructor(readonly report: BatchReport) {
    super(
      `${report.failed} of ${report.received} records are not done; the whole batch must be delivered again`,
    );
  }
}

/**
 * The dead-letter send did not finish within the invocation's remaining time.
 *
 * @example
 * ```ts
 * setTimeout(() => reject(new DeadLetterSendTimeoutError(timeoutMs)), timeoutMs);
 * ```
 */
export class DeadLetterSendTimeoutError extends TransientError {
  override readonly name = "DeadLetterSendTimeoutError";

  constructor(readonly timeoutMs: number) {
    super(`Sending dead letters did not finish within ${timeoutMs} ms`);
  }
}
