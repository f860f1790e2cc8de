/**
 * Hot reload for `npm start`: watches the functions' sources and, once an editor's burst of
 * events has settled, reloads the functions whose entry's import graph holds a changed file
 * (their sandboxes are retired between invocations, see {@link FunctionHost.reload}) and says
 * so on the console. A change to the wiring is not reloaded: it says a restart is needed. See
 * `docs/developer-tools.md` ("Hot reload").
 *
 * @example
 * ```ts
 * const hotReload = new HotReload({ root, functions, sourceDirs, wiringDirs, log });
 * await hotReload.start();
 * // [runtime] reloaded order-created, order-shipped (shared/orders/order-fields.ts changed)
 * await hotReload.stop();
 * ```
 */
import { type FSWatcher, watch } from "node:fs";
import { extname, join, relative, resolve } from "node:path";
import { type ImportGraph, importGraph } from "./import-graph";

/** A function hot reload may reload: its name, its entry file and how to reload it. */
export interface ReloadableFunction {
  readonly name: string;
  /** Absolute path of the entry file. */
  readonly entry: string;
  reload(): void;
}

/** What hot reload watches and whom it tells. */
export interface HotReloadOptions {
  /** The project root; paths on the console are relative to it. */
  readonly root: string;
  readonly functions: readonly ReloadableFunction[];
  /** Absolute paths of the folders whose changes reload functions (`functions/`, `shared/`). */
  readonly sourceDirs: readonly string[];
  /** Absolute paths of the folders read only at start (`infra/wiring/`). */
  readonly wiringDirs: readonly string[];
  readonly log: (line: string) => void;
  /** How long the events must be quiet before a reload; 150 ms unless given. */
  readonly debounceMs?: number;
}

/** The folders `npm start` watches, under the project root. */
export const defaultWatchedDirs = (
  root: string,
): Pick<HotReloadOptions, "sourceDirs" | "wiringDirs"> => ({
  sourceDirs: [join(root, "functions"), join(root, "shared")],
  wiringDirs: [join(root, "infra", "wiring")],
});

const CODE_EXTENSIONS = new Set([".ts", ".mts", ".cts", ".tsx", ".js", ".mjs", ".cjs", ".json"]);

/** `a, b and 3 more` for the console. */
const listed = (items: readonly string[], shown = 3): string =>
  items.length <= shown
    ? items.join(", ")
    : `${items.slice(0, shown).join(", ")} and ${items.length - shown} more`;

/** A change event: a file, or a folder whose file the platform did not name. */
interface Change {
  readonly dir: string;
  readonly file: string | undefined;
  readonly wiring: boolean;
}

/** Watches the folders, debounces their events and reloads what the changes affect. */
export class HotReload {
  readonly #options: HotReloadOptions;
  readonly #graphs = new Map<string, ImportGraph>();
  readonly #watchers: FSWatcher[] = [];
  readonly #pending: Change[] = [];
  #timer: NodeJS.Timeout | undefined;
  #flushing: Promise<void> = Promise.resolve();
  #stopped = false;

  constructor(options: HotReloadOptions) {
    this.#options = options;
  }

  /** Reads every entry's import graph, then starts watching. */
  async start(): Promise<void> {
    await this.#readGraphs();
    const { sourceDirs, wiringDirs } = this.#options;
    for (const [dirs, wiring] of [
      [sourceDirs, false],
      [wiringDirs, true],
    ] as const) {
      for (const dir of dirs) {
        const watcher = watch(dir, { recursive: true }, (_event, file) =>
          this.#changed({ dir, file: file ?? undefined, wiring }),
        );
        watcher.on("error", (error) => this.#options.log(`hot reload: ${dir}: ${error.message}`));
        this.#watchers.push(watcher);
      }
    }
  }

  /** Stops watching; a reload under way finishes first. */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    for (const watcher of this.#watchers) watcher.close();
    await this.#flushing;
  }

  #changed(change: Change): void {
    if (this.#stopped) return;
    if (change.file !== undefined && !CODE_EXTENSIONS.has(extname(change.file))) return;
    this.#pending.push(change);
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      const changes = this.#pending.splice(0);
      this.#flushing = this.#flushing.then(() => this.#apply(changes));
    }, this.#options.debounceMs ?? 150);
  }

  /** One settled burst: the wiring's changes are named, the sources' reload functions. */
  async #apply(changes: readonly Change[]): Promise<void> {
    if (this.#stopped) return;
    const { root, log } = this.#options;
    const shown = (change: Change) =>
      relative(root, change.file === undefined ? change.dir : join(change.dir, change.file));
    const wiring = [...new Set(changes.filter((change) => change.wiring).map(shown))];
    if (wiring.length > 0) {
      log(`${listed(wiring)} changed: the wiring is read at start, restart npm start to apply it`);
    }
    const sources = changes.filter((change) => !change.wiring);
    if (sources.length > 0) await this.#reloadAffected(sources, shown);
  }

  async #reloadAffected(changes: readonly Change[], shown: (change: Change) => string) {
    const { functions, log } = this.#options;
    const before = new Map(this.#graphs);
    await this.#readGraphs();
    const unnamed = changes.some((change) => change.file === undefined);
    const files = new Set(
      changes.flatMap((change) =>
        change.file === undefined ? [] : [resolve(change.dir, change.file)],
      ),
    );
    const names = [...new Set(changes.map(shown))];
    const affected = functions.filter(
      (fn) =>
        unnamed ||
        [before.get(fn.name), this.#graphs.get(fn.name)].some(
          (graph) => graph === undefined || !graph.ok || [...files].some((f) => graph.files.has(f)),
        ),
    );
    if (affected.length === 0) {
      log(`${listed(names)} changed; no function imports it, nothing reloaded`);
      return;
    }
    for (const fn of affected) fn.reload();
    const why = unnamed ? "a change that could not be attributed: reloaded every function; " : "";
    log(`reloaded ${affected.map((fn) => fn.name).join(", ")} (${why}${listed(names)} changed)`);
    for (const fn of affected) {
      const graph = this.#graphs.get(fn.name);
      if (graph !== undefined && !graph.ok) {
        log(`${fn.name} does not build, its invocations fail until it is fixed: ${graph.error}`);
      }
    }
  }

  async #readGraphs(): Promise<void> {
    const { functions, root } = this.#options;
    const graphs = await Promise.all(functions.map((fn) => importGraph(fn.entry, root)));
    functions.forEach((fn, index) => {
      const graph = graphs[index];
      if (graph !== undefined) this.#graphs.set(fn.name, graph);
    });
  }
}
