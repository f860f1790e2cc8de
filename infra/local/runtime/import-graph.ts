/**
 * The files a function's entry loads at run time, as esbuild resolves them when it bundles
 * the function (type-only imports are left out, as tsx leaves them out when it runs the
 * entry); packages are not followed. Used by hot reload to tell which functions a changed
 * file affects. See `docs/developer-tools.md` ("Hot reload").
 *
 * @example
 * ```ts
 * const graph = await importGraph("/repo/functions/order-created/handler.ts");
 * if (graph.ok) graph.files.has("/repo/shared/read-model/read-model-consumer.ts");
 * else console.log(graph.error); // "functions/order-created/handler.ts:3:9: Expected ..."
 * ```
 */
import { dirname, relative, resolve } from "node:path";
import { build, type Message } from "esbuild";

/** The entry's files (absolute paths), or why it does not build. */
export type ImportGraph =
  | { readonly ok: true; readonly files: ReadonlySet<string> }
  | { readonly ok: false; readonly error: string };

const isBuildFailure = (error: unknown): error is { errors: Message[] } =>
  typeof error === "object" &&
  error !== null &&
  "errors" in error &&
  Array.isArray((error as { errors: unknown }).errors);

/** `file:line:column: text` of esbuild's first error, paths relative to `root`. */
const describeFailure = (error: unknown, root: string): string => {
  if (!isBuildFailure(error) || error.errors[0] === undefined) return String(error);
  const [first] = error.errors;
  const location = first.location;
  if (location === null) return first.text;
  const file = relative(root, resolve(root, location.file));
  return `${file}:${location.line}:${location.column}: ${first.text}`;
};

/** Bundles the entry in memory (nothing is written) and reads the inputs off the metafile. */
export const importGraph = async (
  entry: string,
  root: string = dirname(entry),
): Promise<ImportGraph> => {
  try {
    const result = await build({
      entryPoints: [entry],
      absWorkingDir: root,
      bundle: true,
      write: false,
      metafile: true,
      platform: "node",
      format: "esm",
      packages: "external",
      logLevel: "silent",
    });
    const files = new Set(Object.keys(result.metafile.inputs).map((file) => resolve(root, file)));
    return { ok: true, files };
  } catch (error) {
    return { ok: false, error: describeFailure(error, root) };
  }
};
