/**
 * The steps of `npm run setup` (`setup.ts`) and the run that times them and says, at the end,
 * what each one did.
 *
 * @example
 * ```ts
 * const run = new SetupRun(console.log);
 * await run.step({ name: "kafka jars", run: async () => "already present" });
 * run.summary(); // ["Setup done in 0 s:", "  kafka jars  already present  0 s"]
 * ```
 */
import { formatElapsed } from "./services/download-progress";

/** What a step found: it installed something, it was all there, or it could not and why. */
export type StepOutcome = "installed" | "already present" | "skipped";

/** One download of the first run. */
export interface SetupStep {
  readonly name: string;
  run(log: (line: string) => void): Promise<StepOutcome>;
}

interface StepResult {
  readonly name: string;
  readonly outcome: StepOutcome;
  readonly elapsedMs: number;
}

/** Runs the steps in order, timing each, and says at the end what each one did. */
export class SetupRun {
  readonly #results: StepResult[] = [];

  constructor(private readonly log: (line: string) => void) {}

  /** Runs one step; a failing step rejects, naming it, after the steps before it are kept. */
  async step(step: SetupStep, now: () => number = performance.now.bind(performance)) {
    const began = now();
    const outcome = await step.run((line) => this.log(`[${step.name}] ${line}`));
    this.#results.push({ name: step.name, outcome, elapsedMs: now() - began });
  }

  /** The closing lines: one per step (what it did, how long), then the total. */
  summary(): string[] {
    const width = Math.max(...this.#results.map((result) => result.name.length));
    const total = this.#results.reduce((sum, result) => sum + result.elapsedMs, 0);
    return [
      `Setup done in ${formatElapsed(total)}:`,
      ...this.#results.map(
        (result) =>
          `  ${result.name.padEnd(width)}  ${result.outcome.padEnd(15)}  ${formatElapsed(result.elapsedMs)}`,
      ),
    ];
  }
}
