/**
 * How every declared function is bundled and started, in one place: the esbuild options CDK's
 * `NodejsFunction` bundles with, the same options in esbuild's own terms (for `npm run bench`,
 * which builds each function's bundle as CDK does and times its cold start), and the
 * `NODE_OPTIONS` every deployed function runs with. See docs/performance.md, "Bundles and
 * cold start".
 *
 * @example
 * ```ts
 * new nodejs.NodejsFunction(this, "Function", { bundling: FUNCTION_BUNDLING, ... });
 * await esbuild.build(esbuildOptionsFor({ entry, outfile: "out/index.mjs" }));
 * ```
 */

import * as nodejs from "aws-cdk-lib/aws-lambda-nodejs";
import type { BuildOptions } from "esbuild";

/**
 * Bundled CommonJS dependencies (kafkajs) call `require` for Node built-ins, which an ESM
 * bundle lacks; this banner defines it.
 */
const ESM_REQUIRE_BANNER =
  "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);";

/**
 * The bundling of every declared function: ESM, minified, for Node 24, with a source map
 * beside the bundle (without the sources' text).
 *
 * @example
 * ```ts
 * new nodejs.NodejsFunction(this, "Function", { entry, bundling: FUNCTION_BUNDLING });
 * ```
 */
export const FUNCTION_BUNDLING = {
  format: nodejs.OutputFormat.ESM,
  target: "node24",
  mainFields: ["module", "main"],
  banner: ESM_REQUIRE_BANNER,
  minify: true,
  sourceMap: true,
  sourcesContent: false,
  // Bundle the AWS SDK too: the functions run the versions tested locally, not whichever the
  // runtime happens to ship.
  externalModules: [],
  forceDockerBundling: false,
} as const satisfies nodejs.BundlingOptions;

/**
 * The deployed functions' `NODE_OPTIONS`. No `--enable-source-maps`: it makes Node parse the
 * whole source map at every cold start; the map still ships beside the bundle, to map a
 * logged stack trace by hand (see docs/performance.md). kafkajs schedules timers with negative delays, which Node 24 warns
 * about on every such timer.
 *
 * @example
 * ```ts
 * environment: { ...declaredEnvironment, NODE_OPTIONS: FUNCTION_NODE_OPTIONS }
 * ```
 */
export const FUNCTION_NODE_OPTIONS = "--disable-warning=TimeoutNegativeWarning";

/** What {@link esbuildOptionsFor} builds: one entry into one output file. */
export interface BundleTarget {
  /** The entry's absolute path. */
  readonly entry: string;
  /** The bundle's absolute path; the source map lands beside it as `<outfile>.map`. */
  readonly outfile: string;
  /** The directory esbuild resolves from, as CDK runs it from the project root. */
  readonly workingDirectory: string;
}

/**
 * {@link FUNCTION_BUNDLING} as esbuild's build options, option by option as CDK turns it into
 * esbuild's command line, plus a metafile (which CDK leaves out) for the bundle's analysis.
 *
 * @example
 * ```ts
 * const result = await esbuild.build(esbuildOptionsFor({ entry, outfile, workingDirectory }));
 * result.metafile.outputs;
 * ```
 */
export const esbuildOptionsFor = (target: BundleTarget) =>
  ({
    entryPoints: [target.entry],
    absWorkingDir: target.workingDirectory,
    outfile: target.outfile,
    bundle: true,
    platform: "node",
    target: FUNCTION_BUNDLING.target,
    format: FUNCTION_BUNDLING.format,
    mainFields: [...FUNCTION_BUNDLING.mainFields],
    banner: { js: FUNCTION_BUNDLING.banner },
    minify: FUNCTION_BUNDLING.minify,
    sourcemap: FUNCTION_BUNDLING.sourceMap,
    sourcesContent: FUNCTION_BUNDLING.sourcesContent,
    external: [...FUNCTION_BUNDLING.externalModules],
    metafile: true,
    logLevel: "warning",
  }) as const satisfies BuildOptions;
