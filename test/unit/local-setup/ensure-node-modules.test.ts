/**
 * `infra/local/ensure-node-modules.sh` keeps a first run quiet and honest: npm's EBADENGINE
 * warnings (npm runs on the machine's older Node while it installs the project's own) are
 * dropped, every other warning and error passes through, and npm's failure fails the script.
 * The script runs for real, in a scratch copy of the project's layout, with a stand-in `npm`
 * first on PATH that prints what npm prints, so no test installs 690 MB.
 */
import { spawnSync } from "node:child_process";
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

const SCRIPT = fileURLToPath(
  new URL("../../../infra/local/ensure-node-modules.sh", import.meta.url),
);

const EBADENGINE = `npm warn EBADENGINE Unsupported engine {
npm warn EBADENGINE   package: 'msk-order-events@0.1.0',
npm warn EBADENGINE   required: { node: '>=24 <25' },
npm warn EBADENGINE   current: { node: 'v20.20.2', npm: '11.19.1' }
npm warn EBADENGINE }`;

/** An `npm` that prints `stderr`, then installs a `node` printing v24.21.0, or exits `code`. */
const fakeNpm = (bin: string, stderr: string, code: number): void => {
  const script = `#!/usr/bin/env bash
cat >&2 <<'STDERR'
${stderr}
STDERR
[ ${code} = 0 ] || exit ${code}
mkdir -p node_modules/.bin
printf '#!/usr/bin/env bash\\necho v24.21.0\\n' > node_modules/.bin/node
chmod +x node_modules/.bin/node
echo "added 146 packages in 28s"
`;
  writeFileSync(join(bin, "npm"), script);
  chmodSync(join(bin, "npm"), 0o755);
};

describe("ensure-node-modules.sh", () => {
  let root = "";
  let bin = "";

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), "ensure-node-modules-"));
    bin = join(root, "bin");
    mkdirSync(join(root, "infra/local"), { recursive: true });
    mkdirSync(bin);
    copyFileSync(SCRIPT, join(root, "infra/local/ensure-node-modules.sh"));
    writeFileSync(join(root, "package-lock.json"), '{"lockfileVersion": 3}\n');
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  const run = (...args: string[]) =>
    spawnSync("bash", [join(root, "infra/local/ensure-node-modules.sh"), ...args], {
      encoding: "utf8",
      env: { ...process.env, PATH: `${bin}:${process.env.PATH ?? ""}` },
    });

  it("drops npm's EBADENGINE warnings, keeps its other warnings and says what it installed", () => {
    // Prepare
    fakeNpm(bin, `${EBADENGINE}\nnpm warn deprecated glob@7.2.3: Glob versions prior to v9`, 0);

    // Act
    const result = run();

    // Assess
    expect(result.status).toBe(0);
    expect(result.stderr).not.toContain("EBADENGINE");
    expect(result.stderr).toContain("npm warn deprecated glob@7.2.3");
    expect(result.stdout).toContain("added 146 packages");
    expect(result.stdout).toMatch(
      /Node modules: installed into node_modules \(\S+\) in \d+ s, with the project's Node v24\.21\.0/,
    );
  });

  it("fails with npm's error when npm fails, and leaves no stamp", () => {
    // Prepare
    fakeNpm(bin, `${EBADENGINE}\nnpm error code ENOTFOUND\nnpm error network request failed`, 1);

    // Act
    const result = run();
    const again = run("--report");

    // Assess
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("npm error network request failed");
    expect(result.stderr).not.toContain("EBADENGINE");
    expect(again.stdout).not.toContain("already present");
  });

  it("does nothing on a second run, and with --report says the modules are present", () => {
    // Prepare
    fakeNpm(bin, "", 0);
    run();

    // Act
    const quiet = run();
    const report = run("--report");

    // Assess
    expect(quiet.stdout).toBe("");
    expect(report.stdout).toBe(
      "Node modules: already present in node_modules (the project's Node v24.21.0)\n",
    );
  });
});
