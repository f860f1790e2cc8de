/**
 * docs/developer-tools.md ("Hot reload"): a changed source reloads exactly the functions whose
 * entry imports it (esbuild's view of the import graph), once per burst of edits, and says so;
 * a change to the wiring says a restart is needed and reloads nothing; a file that does not
 * build still reloads, with its error on the console. Real files and real fs events.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it, type TestContext } from "vitest";
import { HotReload } from "../../../infra/local/runtime/hot-reload";
import { testScratchDirectory } from "../../support/scratch-directory";

interface Project {
  readonly root: string;
  readonly lines: string[];
  readonly reloads: string[];
  write(file: string, text: string): void;
}

/** `a` imports `shared/lib.ts`, `b` does not; started and stopped with the test. */
const project = async (test: TestContext): Promise<Project> => {
  const root = testScratchDirectory(test, "hot-reload");
  const write = (file: string, text: string) => {
    mkdirSync(join(root, file, ".."), { recursive: true });
    writeFileSync(join(root, file), text);
  };
  write("shared/lib.ts", 'export const version = "v1";\n');
  write(
    "functions/a.ts",
    'import { version } from "../shared/lib";\nexport const handler = async () => version;\n',
  );
  write("functions/b.ts", 'export const handler = async () => "b";\n');
  write("wiring/wiring.ts", "export const wiring = {};\n");
  const lines: string[] = [];
  const reloads: string[] = [];
  const functions = ["a", "b"].map((name) => ({
    name,
    entry: join(root, "functions", `${name}.ts`),
    reload: () => reloads.push(name),
  }));
  const hotReload = new HotReload({
    root,
    functions,
    sourceDirs: [join(root, "functions"), join(root, "shared")],
    wiringDirs: [join(root, "wiring")],
    log: (line) => lines.push(line),
  });
  await hotReload.start();
  test.onTestFinished(() => hotReload.stop());
  return { root, lines, reloads, write };
};

const waitForLine = async (lines: readonly string[], count: number): Promise<void> => {
  const deadline = Date.now() + 20_000;
  while (lines.length < count) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${count} line(s)`);
    await new Promise((done) => setTimeout(done, 20));
  }
};

describe.concurrent("hot reload (docs/developer-tools.md, Hot reload)", { timeout: 30_000 }, () => {
  it("reloads only the functions that import the changed file, once for a burst of saves", async (ctx) => {
    const { expect } = ctx;
    const p = await project(ctx);

    // Act: an editor's save: several writes in a row
    for (const version of ["v2", "v2", "v2"])
      p.write("shared/lib.ts", `export const version = "${version}";\n`);
    await waitForLine(p.lines, 1);

    // Assess
    expect(p.reloads).toEqual(["a"]);
    expect(p.lines).toEqual(["reloaded a (shared/lib.ts changed)"]);
  });

  it("says a changed wiring needs a restart and reloads nothing", async (ctx) => {
    const { expect } = ctx;
    const p = await project(ctx);

    // Act
    p.write("wiring/wiring.ts", "export const wiring = { changed: true };\n");
    await waitForLine(p.lines, 1);

    // Assess
    expect(p.reloads).toEqual([]);
    expect(p.lines).toEqual([
      "wiring/wiring.ts changed: the wiring is read at start, restart npm start to apply it",
    ]);
  });

  it("reloads a function whose source does not build, naming the error, and again once fixed", async (ctx) => {
    const { expect } = ctx;
    const p = await project(ctx);

    // Act: a syntax error, then the fix
    p.write("shared/lib.ts", 'export const version = "v2"\nexport const = ;\n');
    await waitForLine(p.lines, 2);
    p.write("shared/lib.ts", 'export const version = "v3";\n');
    await waitForLine(p.lines, 3);

    // Assess
    expect(p.reloads).toEqual(["a", "a"]);
    expect(p.lines[0]).toBe("reloaded a (shared/lib.ts changed)");
    expect(p.lines[1]).toMatch(
      /^a does not build, its invocations fail until it is fixed: shared\/lib\.ts:2:13: /,
    );
    expect(p.lines[2]).toBe("reloaded a (shared/lib.ts changed)");
  });

  it("names a changed file no function imports and reloads nothing; ignores non-code files", async (ctx) => {
    const { expect } = ctx;
    const p = await project(ctx);

    // Act
    p.write("shared/notes.md", "# not code\n");
    p.write("shared/unused.ts", "export const unused = 1;\n");
    await waitForLine(p.lines, 1);

    // Assess
    expect(p.reloads).toEqual([]);
    expect(p.lines).toEqual(["shared/unused.ts changed; no function imports it, nothing reloaded"]);
  });
});
