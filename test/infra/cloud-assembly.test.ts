import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { systemWiring } from "../../infra/wiring/system-wiring";
import { synthesizeSystem } from "./support/synthesize-system";

const CFN_LINT_DIR = fileURLToPath(new URL("../../infra/cfn-lint/", import.meta.url));
const CONFIG_FILE = path.join(CFN_LINT_DIR, "cfnlintrc.yaml");
const JUSTIFICATIONS_FILE = path.join(CFN_LINT_DIR, "justifications.md");
const CHECKOV_DIR = fileURLToPath(new URL("../../infra/checkov/", import.meta.url));
const CHECKOV_CONFIG_FILE = path.join(CHECKOV_DIR, "checkov.yaml");
const CHECKOV_JUSTIFICATIONS_FILE = path.join(CHECKOV_DIR, "justifications.md");
/** The project's own checkov (infra/local/ensure-python-tools.sh installs it before `npm test`). */
const CHECKOV = fileURLToPath(new URL("../../.local/python/bin/checkov", import.meta.url));
/** The project's own cfn-lint, from the same virtual environment, never one on PATH. */
const CFN_LINT = fileURLToPath(new URL("../../.local/python/bin/cfn-lint", import.meta.url));

interface FunctionResourceJson {
  readonly Type: string;
  readonly Properties: { readonly Environment: { readonly Variables: Record<string, unknown> } };
  readonly Metadata: { readonly "aws:cdk:path": string; readonly "aws:asset:path": string };
}

interface CheckovFinding {
  readonly check_id: string;
  readonly check_name: string;
  readonly resource: string;
  readonly file_path: string;
}

interface CheckovReport {
  readonly check_type: string;
  readonly results?: { readonly failed_checks: readonly CheckovFinding[] };
  readonly summary: {
    readonly passed: number;
    readonly failed: number;
    readonly resource_count: number;
  };
}

interface CfnLintFinding {
  readonly Filename: string;
  readonly Level: "Error" | "Warning" | "Informational";
  readonly Message: string;
  readonly Rule: { readonly Id: string };
}

/** What `cdk synth` writes: the real app with every function bundled by esbuild. */
const outdir = mkdtempSync(path.join(tmpdir(), "order-events-cdk-out-"));
synthesizeSystem({ bundle: true, outdir });
const templates = readdirSync(outdir)
  .filter((file) => file.endsWith(".template.json"))
  .map((file) => path.join(outdir, file));
afterAll(() => rmSync(outdir, { recursive: true, force: true }));

const lint = (): CfnLintFinding[] => {
  // cfn-lint exits non-zero when it finds anything; the JSON on stdout says what.
  const result = spawnSync(
    CFN_LINT,
    ["--config-file", CONFIG_FILE, "--format", "json", "--", ...templates],
    { encoding: "utf8" },
  );
  if (result.error !== undefined) {
    throw new Error(
      `cfn-lint did not run (install it: bash infra/local/ensure-python-tools.sh): ${result.error.message}`,
    );
  }
  // A clean run prints an empty list; no output at all means cfn-lint itself failed.
  if (result.stdout.trim() === "") throw new Error(`cfn-lint failed: ${result.stderr}`);
  return JSON.parse(result.stdout) as CfnLintFinding[];
};

/** The checks `checkov.yaml` skips (its `skip-check` list). */
const checkovSkippedChecks = (): string[] => {
  const config = readFileSync(CHECKOV_CONFIG_FILE, "utf8");
  const list = /^skip-check:\n((?: {2}- .*\n)+)/m.exec(config)?.[1] ?? "";
  return [...list.matchAll(/^ {2}- (\S+)\s*$/gm)].map((match) => match[1] ?? "");
};

/**
 * Every finding of checkov's CloudFormation checks, skipped or not: the tests compare them
 * with `checkov.yaml`'s skips (`npm run checkov` applies the skips itself). No Prisma Cloud
 * download and no update check: the scan runs offline.
 */
const scanWithCheckov = (): CheckovFinding[] => {
  const result = spawnSync(
    CHECKOV,
    [
      "--framework",
      "cloudformation",
      "--skip-download",
      "--output",
      "json",
      "--file",
      ...templates,
    ],
    {
      encoding: "utf8",
      env: { ...process.env, CKV_SKIP_PACKAGE_UPDATE_CHECK: "true", LOG_LEVEL: "ERROR" },
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  if (result.error !== undefined) {
    throw new Error(
      `checkov did not run (install it: bash infra/local/ensure-python-tools.sh): ${result.error.message}`,
    );
  }
  // checkov exits 1 when it finds anything; the JSON on stdout says what.
  if (result.stdout.trim() === "") throw new Error(`checkov failed: ${result.stderr}`);
  const parsed = JSON.parse(result.stdout) as CheckovReport | CheckovReport[];
  const reports = Array.isArray(parsed) ? parsed : [parsed];
  const scanned = reports.reduce((sum, report) => sum + report.summary.resource_count, 0);
  if (scanned === 0) throw new Error(`checkov scanned no resource: ${result.stdout}`);
  return reports.flatMap((report) => report.results?.failed_checks ?? []);
};

describe("synthesized templates", () => {
  it("are the two stacks", () => {
    // Assess
    expect(templates.map((file) => path.basename(file)).sort()).toEqual([
      "OrderEventsApplication.template.json",
      "OrderEventsPlatform.template.json",
    ]);
  });

  it("bundle every function with esbuild: ESM modules, each with its source map", () => {
    // Act
    const assets = JSON.parse(
      readFileSync(path.join(outdir, "OrderEventsApplication.assets.json"), "utf8"),
    ) as { files: Record<string, { source: { path: string } }> };
    const bundles = Object.values(assets.files)
      .map((asset) => path.join(outdir, asset.source.path))
      .filter((directory) => statSync(directory).isDirectory())
      .filter((directory) => readdirSync(directory).includes("index.mjs"));

    // Assess
    expect(bundles).toHaveLength(systemWiring.functions.length);
    for (const bundle of bundles) {
      expect(readdirSync(bundle).sort()).toEqual(["chunks", "index.mjs", "index.mjs.map"]);
      const chunks = readdirSync(path.join(bundle, "chunks"));
      const modules = chunks.filter((file) => file.endsWith(".mjs"));
      expect(modules.length).toBeGreaterThan(0);
      expect(chunks.sort()).toEqual(modules.flatMap((file) => [file, `${file}.map`]).sort());
    }
  });
});

describe("function bundles", () => {
  const template = JSON.parse(
    readFileSync(path.join(outdir, "OrderEventsApplication.template.json"), "utf8"),
  ) as { Resources: Record<string, FunctionResourceJson> };
  const functions = Object.values(template.Resources).filter(
    (resource) => resource.Type === "AWS::Lambda::Function",
  );

  /** Deploy-time values (tokens in the template) replaced by stand-ins of the same shape. */
  const standIn = (name: string, value: unknown) =>
    typeof value === "string"
      ? value
      : name === "KAFKA_BROKERS"
        ? "b-1.msk.example:9098,b-2.msk.example:9098"
        : `physical-${name.toLowerCase()}`;

  it.each(functions.map((fn) => [fn.Metadata["aws:cdk:path"], fn] as const))(
    "%s loads on Node 24 with its deployed environment, exports its handler, and so do its chunks",
    (_path, fn) => {
      // Prepare
      const directory = path.join(outdir, fn.Metadata["aws:asset:path"]);
      const bundle = path.join(directory, "index.mjs");
      // The chunks a cold start does not load (credential providers, a consumer's producer):
      // each must load when first used.
      const chunks = readdirSync(path.join(directory, "chunks"))
        .filter((file) => file.endsWith(".mjs"))
        .map((file) => `file://${path.join(directory, "chunks", file)}`);
      const environment = Object.fromEntries(
        Object.entries(fn.Properties.Environment.Variables).map(([name, value]) => [
          name,
          standIn(name, value),
        ]),
      );

      // Act: a fresh process per bundle, as a Lambda execution environment is.
      const result = spawnSync(
        process.execPath,
        [
          "--input-type=module",
          "-e",
          `const m = await import(${JSON.stringify(`file://${bundle}`)});` +
            `if (typeof m.handler !== "function") throw new Error("no handler export");` +
            `for (const chunk of ${JSON.stringify(chunks)}) await import(chunk);`,
        ],
        {
          encoding: "utf8",
          env: {
            PATH: process.env.PATH,
            ...environment,
            AWS_REGION: "eu-west-1",
            AWS_LAMBDA_FUNCTION_NAME: _path.split("/")[1],
          },
        },
      );

      // Assess: minified source lines would drown the error, so only short lines are shown.
      const readable = result.stderr
        .split("\n")
        .filter((line) => line.length < 400)
        .join("\n");
      expect(result.status, readable).toBe(0);
      expect(readable).toBe("");
    },
  );
});

describe("cfn-lint", () => {
  it("finds no error and no warning in any template", () => {
    // Act
    const findings = lint();

    // Assess
    expect(
      findings.map((f) => `${f.Level} ${f.Rule.Id} ${path.basename(f.Filename)}: ${f.Message}`),
    ).toEqual([]);
  });

  it("ignores only checks that are justified next to its configuration", () => {
    // Prepare
    const config = readFileSync(CONFIG_FILE, "utf8");
    const justifications = readFileSync(JUSTIFICATIONS_FILE, "utf8");

    // Act
    const ignored = [...config.matchAll(/^ {2}- ([EWI]\d{4})\s*$/gm)].map((match) => match[1]);

    // Assess
    expect(ignored.length).toBeGreaterThan(0);
    for (const check of ignored) expect(justifications).toContain(`## ${check}:`);
  });
});

describe("checkov", () => {
  // One scan (about ten seconds) for all three tests, run by whichever comes first.
  let scanned: CheckovFinding[] | undefined;
  const findings = () => {
    scanned ??= scanWithCheckov();
    return scanned;
  };
  const skipped = checkovSkippedChecks();

  it("finds nothing that checkov.yaml does not skip", () => {
    // Act
    const unacknowledged = findings().filter((finding) => !skipped.includes(finding.check_id));

    // Assess
    expect(
      unacknowledged.map(
        (f) => `${f.check_id} ${path.basename(f.file_path)} ${f.resource}: ${f.check_name}`,
      ),
    ).toEqual([]);
  });

  it("skips only checks that are justified next to its configuration", () => {
    // Prepare
    const justifications = readFileSync(CHECKOV_JUSTIFICATIONS_FILE, "utf8");

    // Act
    const entries = [...justifications.matchAll(/^## (\S+):/gm)].map((match) => match[1]);

    // Assess
    expect(skipped.length).toBeGreaterThan(0);
    expect(entries.sort()).toEqual([...skipped].sort());
  });

  it("skips only checks that still find something", () => {
    // Act
    const stale = skipped.filter((check) => !findings().some((f) => f.check_id === check));

    // Assess
    expect(stale).toEqual([]);
  });
});
