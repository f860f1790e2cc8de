/**
 * Bundle size and cold start, as the deployed functions start: each declared function is
 * bundled with the esbuild options CDK bundles it with (`infra/constructs/bundling-options.ts`:
 * code split, so a cold start loads `index.mjs` and the chunks it imports, not the chunks
 * behind a dynamic `import()`), and so is a peer handler (`peer-handler.ts`: Powertools
 * Logger and one DynamoDB `PutCommand`). Each bundle is then imported by fresh `node` processes with the deployed
 * `NODE_OPTIONS` and the function's environment; the time of that import is its init. Rounds
 * interleave the bundles, so the machine's load lands on all of them alike, and a function's
 * ratio to the peer is taken round by round. Prints figures; asserts nothing.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { build, type Metafile } from "esbuild";
import { esbuildOptionsFor, FUNCTION_NODE_OPTIONS } from "../../infra/constructs/bundling-options";
import { functionEnvironment } from "../../infra/wiring/function-environment";
import { systemWiring } from "../../infra/wiring/system-wiring";
import type { FunctionDeclaration } from "../../infra/wiring/types";

/** One bundle's figures: its size (minified code, source maps apart) and its init. */
export interface BundleFigures {
  /** What a cold start loads: `index.mjs` and the chunks it imports; KB of 1,024 bytes. */
  readonly kb: number;
  /** Every file of code the function ships, the chunks loaded on first use included. */
  readonly total_kb: number;
  /** The median over fresh processes of the time to import the bundle. */
  readonly init_ms: number;
}

/** A function's figures, with its init beside the peer's (measured in the same rounds). */
export interface FunctionBundleFigures extends BundleFigures {
  /** The median over rounds of this function's init divided by the peer's in that round. */
  readonly init_ratio: number;
  /** The lowest and highest of those ratios. */
  readonly init_ratio_range: readonly [number, number];
}

/** The `bundles` part of `npm run bench -- --json`. */
export interface BundlesResult {
  readonly node_options: string;
  readonly peer: BundleFigures;
  readonly functions: Readonly<Record<string, FunctionBundleFigures>>;
}

/** A built bundle, with what went into it. */
interface BuiltBundle {
  readonly name: string;
  readonly file: string;
  /** What a cold start loads. */
  readonly bytes: number;
  readonly totalBytes: number;
  readonly environment: Readonly<Record<string, string>>;
  /** Bytes a cold start loads per package (`project` for this repository's own code), largest first. */
  readonly contributors: readonly (readonly [string, number])[];
}

const PROJECT_ROOT = path.resolve(import.meta.dirname, "../..");
const PEER_ENTRY = path.join(import.meta.dirname, "peer-handler.ts");
/** Enough for the AWS SDK clients to construct; nothing is called at init. */
const AWS_ENVIRONMENT = {
  AWS_REGION: "us-east-1",
  AWS_ACCESS_KEY_ID: "bench",
  AWS_SECRET_ACCESS_KEY: "bench",
  POWERTOOLS_LOG_LEVEL: "ERROR",
};

/** The function's environment as deployed, with local names in place of CDK's tokens. */
const deployedEnvironment = (fn: FunctionDeclaration): Record<string, string> =>
  functionEnvironment(fn, {
    tableName: (name) => `bench-${name}`,
    bucketName: (name) => `bench-${name}`,
    kafka: { brokers: "127.0.0.1:9092", auth: "none", tls: false },
  });

/** The package an input of the metafile belongs to: `@scope/name`, `name`, or `project`. */
const packageOf = (input: string): string => {
  const parts = input.split("node_modules/");
  if (parts.length === 1) return "project";
  const segments = (parts.at(-1) ?? "").split("/");
  return segments[0]?.startsWith("@") ? `${segments[0]}/${segments[1]}` : (segments[0] ?? input);
};

/**
 * The outputs a cold start loads: the entry's own and, transitively, every chunk it imports
 * statically. The chunks behind a dynamic `import()` load on first use, if ever.
 */
const coldStartOutputs = (metafile: Metafile, entry: string): string[] => {
  const loaded = new Set<string>();
  const visit = (file: string) => {
    if (loaded.has(file)) return;
    loaded.add(file);
    for (const imported of metafile.outputs[file]?.imports ?? [])
      if (imported.kind === "import-statement" && imported.external !== true) visit(imported.path);
  };
  visit(entry);
  return [...loaded];
};

const contributorsOf = (metafile: Metafile, outputs: readonly string[]): [string, number][] => {
  const bytes = new Map<string, number>();
  for (const output of outputs) {
    for (const [input, { bytesInOutput }] of Object.entries(
      metafile.outputs[output]?.inputs ?? {},
    )) {
      const name = packageOf(input);
      bytes.set(name, (bytes.get(name) ?? 0) + bytesInOutput);
    }
  }
  return [...bytes].sort((a, b) => b[1] - a[1]);
};

const sizeOf = (outputs: readonly string[]): number =>
  outputs.reduce((sum, output) => sum + statSync(path.resolve(PROJECT_ROOT, output)).size, 0);

const bundle = async (
  name: string,
  entry: string,
  environment: Record<string, string>,
  directory: string,
): Promise<BuiltBundle> => {
  const outdir = path.join(directory, name);
  const { metafile } = await build({
    ...esbuildOptionsFor({ entry, outdir, workingDirectory: PROJECT_ROOT }),
    metafile: true,
  });
  const file = path.join(outdir, "index.mjs");
  // The metafile names outputs relative to the working directory.
  const loaded = coldStartOutputs(metafile, path.relative(PROJECT_ROOT, file));
  const code = Object.keys(metafile.outputs).filter((output) => output.endsWith(".mjs"));
  return {
    name,
    file,
    bytes: sizeOf(loaded),
    totalBytes: sizeOf(code),
    environment,
    contributors: contributorsOf(metafile, loaded),
  };
};

/** The child's script: import the bundle as Lambda's runtime does, print how long it took. */
const IMPORT_SCRIPT = [
  "const started = performance.now();",
  "await import(process.env.BENCH_BUNDLE_URL);",
  "console.log(JSON.stringify({ init_ms: performance.now() - started }));",
  "process.exit(0);",
].join("\n");

/** One cold start of `built` in a fresh `node`: the time its import took, in ms. */
const coldStart = (built: BuiltBundle): Promise<number> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--input-type=module", "-e", IMPORT_SCRIPT], {
      env: {
        PATH: process.env.PATH,
        ...AWS_ENVIRONMENT,
        ...built.environment,
        NODE_OPTIONS: FUNCTION_NODE_OPTIONS,
        BENCH_BUNDLE_URL: pathToFileURL(built.file).href,
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on("error", reject);
    child.on("close", (code) => {
      const line = stdout.trim().split("\n").at(-1) ?? "";
      if (code !== 0 || !line.startsWith("{")) {
        reject(new Error(`${built.name} did not initialise (exit ${code}):\n${stderr}`));
        return;
      }
      resolve((JSON.parse(line) as { init_ms: number }).init_ms);
    });
  });

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] ?? 0)
    : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
};

const round1 = (value: number): number => Math.round(value * 10) / 10;
const kilobytes = (bytes: number): number => round1(bytes / 1024);

/**
 * Each bundle's init in each of `rounds` rounds (index = round), after one uncounted warm-up
 * round; a round starts every bundle once, one after another.
 */
const initSamples = async (
  bundles: readonly BuiltBundle[],
  rounds: number,
): Promise<Map<string, number[]>> => {
  const samples = new Map<string, number[]>(bundles.map((built) => [built.name, []]));
  for (let round = 0; round <= rounds; round += 1) {
    for (const built of bundles) {
      const ms = await coldStart(built);
      if (round > 0) samples.get(built.name)?.push(ms);
    }
  }
  return samples;
};

/**
 * The ratio to the peer taken round by round, as the relay's and the consumer's are: a slow
 * stretch of this shared machine that lasts a round slows all of its starts, so it cancels
 * out of that round's ratios. Drift over several rounds, which a median of 5 does not drop,
 * so cancels too.
 */
const ratiosToPeer = (own: readonly number[], peer: readonly number[]) => {
  const ratios = own.map((ms, round) => ms / (peer[round] ?? Number.NaN));
  return {
    init_ratio: round2(median(ratios)),
    init_ratio_range: [round2(Math.min(...ratios)), round2(Math.max(...ratios))] as const,
  };
};

/** What {@link benchBundles} measured, with each bundle's largest contributors for the report. */
export interface BundleBenchRun {
  readonly result: BundlesResult;
  readonly contributors: Readonly<Record<string, readonly (readonly [string, number])[]>>;
}

/**
 * Builds every declared function's bundle and the peer's, and times their cold starts.
 *
 * @example
 * ```ts
 * const { result } = await benchBundles({ rounds: 5 });
 * result.functions["orders-api"].init_ratio;
 * ```
 */
export const benchBundles = async (options: {
  readonly rounds: number;
}): Promise<BundleBenchRun> => {
  const directory = mkdtempSync(path.join(tmpdir(), "bench-bundles-"));
  try {
    const peer = await bundle("peer", PEER_ENTRY, { TABLE_NAME: "bench-peer" }, directory);
    const functions = await Promise.all(
      systemWiring.functions.map((fn) =>
        bundle(fn.name, path.join(PROJECT_ROOT, fn.entry), deployedEnvironment(fn), directory),
      ),
    );
    const samples = await initSamples([peer, ...functions], options.rounds);
    const samplesOf = (built: BuiltBundle): number[] => samples.get(built.name) ?? [];
    const figures = (built: BuiltBundle): BundleFigures => ({
      kb: kilobytes(built.bytes),
      total_kb: kilobytes(built.totalBytes),
      init_ms: round1(median(samplesOf(built))),
    });
    return {
      result: {
        node_options: FUNCTION_NODE_OPTIONS,
        peer: figures(peer),
        functions: Object.fromEntries(
          functions.map((built) => {
            const ratios = ratiosToPeer(samplesOf(built), samplesOf(peer));
            return [built.name, { ...figures(built), ...ratios }];
          }),
        ),
      },
      contributors: Object.fromEntries(
        [peer, ...functions].map((built) => [built.name, built.contributors]),
      ),
    };
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
};

const round2 = (value: number): number => Math.round(value * 100) / 100;

/**
 * The human-readable report: per bundle its size, init and ratio to the peer, then its
 * largest contributors, so the next thing to cut is visible.
 *
 * @example
 * ```ts
 * printBundles(await benchBundles({ rounds: 5 }), 5, console.log);
 * ```
 */
export const printBundles = (
  run: BundleBenchRun,
  rounds: number,
  print: (line: string) => void,
): void => {
  const { result, contributors } = run;
  print(
    `bundles: as CDK builds them, init = import in a fresh node (median of ${rounds}), NODE_OPTIONS=${result.node_options || "(none)"}`,
  );
  print(
    "  KB = what a cold start loads; (in brackets) all the code shipped, chunks loaded later too",
  );
  const rows: [string, BundleFigures, string][] = [
    ["peer", result.peer, "(Logger + DocumentClient PutCommand)"],
    ...Object.entries(result.functions).map(([name, fn]): [string, BundleFigures, string] => [
      name,
      fn,
      `${fn.init_ratio}x peer (rounds ${fn.init_ratio_range.join("-")}; goal <= 1.25)`,
    ]),
  ];
  for (const [name, figures, note] of rows) {
    print(
      `  ${name.padEnd(16)} ${String(figures.kb).padStart(7)} KB (${String(figures.total_kb).padStart(6)})  init ${String(figures.init_ms).padStart(6)} ms  ${note}`,
    );
    const top = (contributors[name] ?? [])
      .slice(0, 6)
      .map(([pkg, bytes]) => `${pkg} ${kilobytes(bytes)}`);
    print(`  ${"".padEnd(16)} ${top.join(", ")}`);
  }
};
