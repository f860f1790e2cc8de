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

interface FunctionResourceJson {
  readonly Type: string;
  readonly Properties: { readonly Environment: { readonly Variables: Record<string, unknown> } };
  readonly Metadata: { readonly "aws:cdk:path": string; readonly "aws:asset:path": string };
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
    "cfn-lint",
    ["--config-file", CONFIG_FILE, "--format", "json", "--", ...templates],
    { encoding: "utf8" },
  );
  if (result.error !== undefined) {
    throw new Error(
      `cfn-lint did not run (install it: pip install cfn-lint): ${result.error.message}`,
    );
  }
  // A clean run prints an empty list; no output at all means cfn-lint itself failed.
  if (result.stdout.trim() === "") throw new Error(`cfn-lint failed: ${result.stderr}`);
  return JSON.parse(result.stdout) as CfnLintFinding[];
};

describe("synthesized templates", () => {
  it("are the two stacks", () => {
    // Assess
    expect(templates.map((file) => path.basename(file)).sort()).toEqual([
      "OrderEventsApplication.template.json",
      "OrderEventsPlatform.template.json",
    ]);
  });

  it("bundle every function with esbuild: an ESM module with a source map", () => {
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
      expect(readdirSync(bundle).sort()).toEqual(["index.mjs", "index.mjs.map"]);
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
    "%s loads on Node 24 with its deployed environment and exports its handler",
    (_path, fn) => {
      // Prepare
      const bundle = path.join(outdir, fn.Metadata["aws:asset:path"], "index.mjs");
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
            `if (typeof m.handler !== "function") throw new Error("no handler export");`,
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
