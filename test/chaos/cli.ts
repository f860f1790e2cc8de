/**
 * `npm run chaos`: drives a system of its own (private moto, private Kafka broker, the whole
 * local runtime) under load through the fault injector, then accounts for everything, prints
 * the counts (`--json` for JSON) and exits 0 when nothing was lost or applied twice, 1 if
 * anything was, 2 on a usage error. Ctrl-C ends the faults and the load early; the books are
 * still kept, and everything started is stopped. See docs/local-runtime.md, "Chaos run".
 *
 * @example
 * ```sh
 * npm run chaos                                   # the full run: 3 min, 300 orders
 * npm run chaos -- --minutes 2 --orders 200
 * npm run chaos -- --short                        # the run inside npm test
 * npm run -s chaos -- --json > chaos.json
 * ```
 */
import { ChaosUsageError, readChaosOptions } from "./chaos-options";
import { formatChaosReport } from "./chaos-report";
import { runChaos } from "./chaos-run";
import { ScheduleTooLongError } from "./chaos-schedule";

/** Progress goes to stderr, so stdout holds only the report. */
const say = (text: string): void => {
  process.stderr.write(`${text}\n`);
};

const main = async (): Promise<number> => {
  const options = readChaosOptions(process.argv.slice(2));
  let interrupted = false;
  const onSignal = () => {
    if (!interrupted) say("interrupted: ending the faults and the load, then keeping the books");
    interrupted = true;
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  try {
    const report = await runChaos(options, { say, interrupted: () => interrupted });
    process.stdout.write(
      `${options.json ? JSON.stringify(report, null, 2) : formatChaosReport(report)}\n`,
    );
    return report.passed && !interrupted ? 0 : 1;
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
};

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof ChaosUsageError || error instanceof ScheduleTooLongError) {
      say(error.message);
      process.exitCode = 2;
      return;
    }
    say(error instanceof Error ? `${error.name}: ${error.message}` : String(error));
    process.exitCode = 1;
  },
);
