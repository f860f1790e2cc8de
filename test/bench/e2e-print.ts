/**
 * How `npm run bench` shows the end-to-end figures: a table of stages per load, and the
 * `e2e` key of `--json` (the heaviest load, with the one-client figures beside it).
 */
import type { E2eFigures } from "./e2e-bench";

/** Prints one load's figures: the whole path, then each stage. */
export const printEndToEnd = (figures: E2eFigures, print: (line: string) => void): void => {
  print(
    `end to end: ${figures.orders} orders, ${figures.clients} client(s) in parallel, HTTP request -> view`,
  );
  print(
    `  whole path           p50 ${figures.p50_ms} ms, p99 ${figures.p99_ms} ms, max ${figures.max_ms} ms`,
  );
  for (const [name, stage] of Object.entries(figures.stages)) {
    print(`  ${name.padEnd(20)} p50 ${stage.p50_ms} ms, p99 ${stage.p99_ms} ms`);
  }
  for (const [name, { invocations, records }] of Object.entries(figures.batches)) {
    const perInvocation = invocations === 0 ? 0 : Math.round((records / invocations) * 10) / 10;
    print(
      `  ${name.padEnd(20)} ${invocations} invocations, ${records} records (${perInvocation} per invocation)`,
    );
  }
};

/** The `e2e` key: the run with the most clients, and the one-client run's p50/p99/max. */
export const e2eJson = (runs: readonly E2eFigures[]): { e2e?: object } => {
  const heaviest = [...runs].sort((a, b) => b.clients - a.clients)[0];
  if (heaviest === undefined) return {};
  const single = runs.find((run) => run.clients === 1);
  return {
    e2e: {
      ...heaviest,
      ...(single === undefined
        ? {}
        : { one_client: { p50_ms: single.p50_ms, p99_ms: single.p99_ms, max_ms: single.max_ms } }),
    },
  };
};
