/**
 * How every declared function is bundled and started, in one place: the esbuild options each
 * function's code is built with (by CDK at synth, and by `npm run bench`, which times each
 * bundle's cold start), the Lambda code asset CDK builds with them, and the `NODE_OPTIONS`
 * every deployed function runs with. See docs/performance.md, "Bundles and cold start".
 *
 * @example
 * ```ts
 * new lambda.Function(this, "Function", { code: bundledFunctionCode(entry, root), handler: FUNCTION_HANDLER, ... });
 * await esbuild.build(esbuildOptionsFor({ entry, outdir: "out", workingDirectory: root }));
 * ```
 */

import { AssetHashType, DockerImage, type ILocalBundling } from "aws-cdk-lib";
import * as lambda from "aws-cdk-lib/aws-lambda";
import { type BuildOptions, buildSync } from "esbuild";

/**
 * Bundled CommonJS dependencies (kafkajs) call `require` for Node built-ins, which an ESM
 * bundle lacks; this banner defines it (in every file of the bundle).
 */
const ESM_REQUIRE_BANNER =
  "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);";

/** The handler setting of every declared function: the `handler` export of `index.mjs`. */
export const FUNCTION_HANDLER = "index.handler";

/**
 * The deployed functions' `NODE_OPTIONS`. No `--enable-source-maps`: it makes Node parse the
 * whole source map at every cold start; the maps still ship beside the bundle, to map a
 * logged stack trace by hand (see docs/performance.md). kafkajs schedules timers with
 * negative delays, which Node 24 warns about on every such timer.
 *
 * @example
 * ```ts
 * environment: { ...declaredEnvironment, NODE_OPTIONS: FUNCTION_NODE_OPTIONS }
 * ```
 */
export const FUNCTION_NODE_OPTIONS = "--disable-warning=TimeoutNegativeWarning";

/** What {@link esbuildOptionsFor} builds: one entry into one directory. */
export interface BundleTarget {
  /** The entry's absolute path. */
  readonly entry: string;
  /** The bundle's directory: `index.mjs`, the chunks it loads under `chunks/`, a map beside each. */
  readonly outdir: string;
  /** The directory esbuild resolves from: the project root. */
  readonly workingDirectory: string;
}

/**
 * The esbuild options of every declared function: ESM for Node 24, minified, the AWS SDK
 * bundled too (the functions run the versions tested locally, not whichever the runtime
 * ships), a source map beside each file (without the sources' text). Code splitting makes
 * each dynamic `import()` its own chunk, loaded on first use: the SDK's credential providers
 * other than the environment's, which Lambda never needs, and the Kafka producer of a
 * consumer that has not dead-lettered. A cold start compiles only what it loads.
 *
 * @example
 * ```ts
 * const result = await esbuild.build({ ...esbuildOptionsFor(target), metafile: true });
 * ```
 */
export const esbuildOptionsFor = (target: BundleTarget) =>
  ({
    entryPoints: [target.entry],
    absWorkingDir: target.workingDirectory,
    outdir: target.outdir,
    entryNames: "index",
    chunkNames: "chunks/[name]-[hash]",
    outExtension: { ".js": ".mjs" },
    bundle: true,
    splitting: true,
    platform: "node",
    target: "node24",
    format: "esm",
    mainFields: ["module", "main"],
    banner: { js: ESM_REQUIRE_BANNER },
    // The SDK's browser user-agent parser: Node never calls it, but its dynamic import
    // would ship as a chunk no function loads.
    external: ["bowser"],
    minify: true,
    sourcemap: true,
    sourcesContent: false,
    logLevel: "warning",
  }) as const satisfies BuildOptions;

/**
 * Runs esbuild in this process with {@link esbuildOptionsFor}, for CDK's local bundling. Its
 * fields are part of the key CDK caches a staging by, so each entry gets its own.
 */
class EsbuildLocalBundling implements ILocalBundling {
  constructor(
    readonly entry: string,
    readonly projectRoot: string,
  ) {}

  tryBundle(outputDir: string): boolean {
    buildSync(
      esbuildOptionsFor({
        entry: this.entry,
        outdir: outputDir,
        workingDirectory: this.projectRoot,
      }),
    );
    return true;
  }
}

/**
 * A function's Lambda code: the asset CDK stages by running esbuild locally with
 * {@link esbuildOptionsFor}, hashed by its output. CDK's `NodejsFunction` cannot split code
 * (it passes esbuild `--outfile`), hence this asset of our own, built as `NodejsFunction`
 * builds its own: from the project root, never in Docker.
 *
 * @example
 * ```ts
 * code: bundledFunctionCode(path.join(root, "functions/orders-api/handler.ts"), root)
 * ```
 */
export const bundledFunctionCode = (entry: string, projectRoot: string): lambda.Code =>
  lambda.Code.fromAsset(projectRoot, {
    assetHashType: AssetHashType.OUTPUT,
    bundling: {
      // Never pulled: local bundling always succeeds or throws (as NodejsFunction does).
      image: DockerImage.fromRegistry("dummy"),
      local: new EsbuildLocalBundling(entry, projectRoot),
    },
  });
