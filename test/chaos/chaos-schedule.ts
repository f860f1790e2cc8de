/**
 * When each fault of a chaos run happens, decided up front and purely: the four kinds one
 * after another over the load's duration, with equal quiet gaps before, between and after
 * them, so each fault's effects can be told apart and the system is under load as it
 * recovers. Each fault comes while what it hits is busy: the throttling while the consumers
 * write (before the broker is killed: its consumers then take a while to come back), the
 * slow broker while the relay publishes what piled up during the outage.
 *
 * | kind          | what                                                                                       |
 * | ------------- | ------------------------------------------------------------------------------------------ |
 * | `conflicts`   | `TransactionConflict` on a share of the read model's transactions (besides conflict mode)  |
 * | `throttling`  | every read-model write throttled; a share of the orders API's writes too                   |
 * | `broker-kill` | the broker killed (SIGKILL), started again after a while                                   |
 * | `slow-broker` | Produce responses held past the functions' request timeout                                 |
 *
 * @example
 * ```ts
 * chaosSchedule(FULL_CHAOS); // [{ kind: "conflicts", startMs: 7600, durationMs: 30000 }, ...]
 * ```
 */
import type { ChaosOptions } from "./chaos-options";

export type FaultKind = "conflicts" | "throttling" | "broker-kill" | "slow-broker";

export interface FaultPhase {
  readonly kind: FaultKind;
  /** From the start of the load. */
  readonly startMs: number;
  /** As planned; a broker's restart and a held response's release may take longer. */
  readonly durationMs: number;
}

/** What the schedule needs of the options. */
export type ScheduleOptions = Pick<
  ChaosOptions,
  "minutes" | "throttleSeconds" | "conflictSeconds" | "delayMs" | "delays" | "brokerDownSeconds"
>;

/** Room for a response held after the phase's last request went out. */
const SLOW_BROKER_MARGIN_MS = 2_000;
/**
 * What a restart takes on top of the broker's time down: a JVM start and the recovery of
 * logs not closed cleanly (about 12 s on two cores).
 */
const RESTART_ALLOWANCE_MS = 12_000;

/** The faults' total time; the load must last longer. */
const phaseDurations = (options: ScheduleOptions): [FaultKind, number][] => [
  ["conflicts", options.conflictSeconds * 1_000],
  ["throttling", options.throttleSeconds * 1_000],
  ["broker-kill", options.brokerDownSeconds * 1_000],
  // Each held response makes the client time out and send again, into the next hold.
  ["slow-broker", options.delays * options.delayMs + SLOW_BROKER_MARGIN_MS],
];

export class ScheduleTooLongError extends Error {
  override readonly name = "ScheduleTooLongError";
}

export const chaosSchedule = (options: ScheduleOptions): FaultPhase[] => {
  const loadMs = options.minutes * 60_000;
  const phases = phaseDurations(options);
  const busyMs = phases.reduce((sum, [, ms]) => sum + ms, 0) + RESTART_ALLOWANCE_MS;
  if (busyMs >= loadMs) {
    throw new ScheduleTooLongError(
      `the faults take ${Math.ceil(busyMs / 1000)} s, more than the load's ${Math.round(loadMs / 1000)} s: raise --minutes or shorten the faults`,
    );
  }
  const gapMs = (loadMs - busyMs) / (phases.length + 1);
  let at = gapMs;
  return phases.map(([kind, durationMs]) => {
    const phase = { kind, startMs: Math.round(at), durationMs };
    at += durationMs + gapMs + (kind === "broker-kill" ? RESTART_ALLOWANCE_MS : 0);
    return phase;
  });
};
