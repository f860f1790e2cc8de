/**
 * Scratch directories for tests: each a new directory under the system's temporary folder,
 * removed with everything in it when its owner ends, so that a run of the suite leaves nothing
 * behind in `/tmp`.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, type TestContext } from "vitest";

const newDirectory = (prefix: string): string => mkdtempSync(join(tmpdir(), `${prefix}-`));

const remove = (dir: string): void => rmSync(dir, { recursive: true, force: true });

/**
 * A new directory, removed when `test` ends. vitest runs a test's cleanups last registered
 * first, so whatever the test starts after this call (a function host writing its log here,
 * say) is stopped before the directory goes.
 *
 * @example
 * ```ts
 * it("reads the log", async (ctx) => {
 *   const file = join(testScratchDirectory(ctx, "log-tail"), "f.log");
 * });
 * ```
 */
export const testScratchDirectory = (
  test: Pick<TestContext, "onTestFinished">,
  prefix: string,
): string => {
  const dir = newDirectory(prefix);
  test.onTestFinished(() => remove(dir));
  return dir;
};

/**
 * A new directory for a whole test file, removed after its last test. Call it at the file's
 * top level: `afterAll` hooks the file registers there later, such as one stopping a function
 * host that writes here, then run before the removal (called in a `describe` body, the
 * removal would run before the file's own `afterAll` hooks).
 *
 * @example
 * ```ts
 * const stateDir = fileScratchDirectory("logs-cli");
 * ```
 */
export const fileScratchDirectory = (prefix: string): string => {
  const dir = newDirectory(prefix);
  afterAll(() => remove(dir));
  return dir;
};
