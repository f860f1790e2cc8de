/**
 * Builds the order events app the way `infra/app.ts` does, for the infrastructure tests:
 * from a declaration of the wiring (the real one unless a test passes its own) and CDK context.
 * Bundling is skipped unless asked for: templates are the same either way (only asset hashes
 * differ), and skipping it keeps a synth under a few seconds. One test file builds one app and
 * shares it across its tests.
 *
 * @example
 * ```ts
 * const system = synthesizeSystem();
 * system.application.hasResourceProperties("AWS::Lambda::Function", { Runtime: "nodejs24.x" });
 * ```
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { App, Validations } from "aws-cdk-lib";
import { Template } from "aws-cdk-lib/assertions";
import { afterAll } from "vitest";
import { readDeploymentSettings } from "../../../infra/stacks/deployment-settings";
import {
  awsSolutionsChecks,
  defineOrderEventsSystem,
  type OrderEventsSystem,
} from "../../../infra/stacks/order-events-system";
import { systemWiring } from "../../../infra/wiring/system-wiring";
import type { SystemWiring } from "../../../infra/wiring/types";

export interface SynthesizeOptions {
  readonly wiring?: SystemWiring;
  readonly context?: Readonly<Record<string, string>>;
  /** Run esbuild for every function (slower); by default no asset is bundled. */
  readonly bundle?: boolean;
  /** Cloud assembly directory; by default a temporary one, removed after the test file. */
  readonly outdir?: string;
  /**
   * Run the cdk-nag AwsSolutions pack during synthesis, as `infra/app.ts` does; its report
   * lands in `<outdir>/validation-report.json`.
   */
  readonly checkWithCdkNag?: boolean;
}

export interface SynthesizedSystem {
  readonly app: App;
  readonly stacks: OrderEventsSystem;
  readonly platform: Template;
  readonly application: Template;
}

/** One temporary root per test file (imported while tests are collected), removed after it. */
const temporaryRoot = mkdtempSync(path.join(tmpdir(), "order-events-test-"));
afterAll(() => rmSync(temporaryRoot, { recursive: true, force: true }));
const temporaryOutdir = () => mkdtempSync(path.join(temporaryRoot, "cdk.out-"));

export const synthesizeSystem = (options: SynthesizeOptions = {}): SynthesizedSystem => {
  const app = new App({
    outdir: options.outdir ?? temporaryOutdir(),
    context: {
      ...options.context,
      // As the CDK CLI does: tests find resources by construct path, bundles by asset path.
      "aws:cdk:enable-path-metadata": true,
      "aws:cdk:enable-asset-metadata": true,
      // An empty list tells CDK that no stack needs its assets bundled.
      ...(options.bundle === true ? {} : { "aws:cdk:bundling-stacks": [] }),
    },
  });
  const stacks = defineOrderEventsSystem(app, {
    wiring: options.wiring ?? systemWiring,
    settings: readDeploymentSettings((key) => app.node.tryGetContext(key)),
  });
  if (options.checkWithCdkNag === true) Validations.of(app).addPlugins(awsSolutionsChecks(app));
  return {
    app,
    stacks,
    platform: Template.fromStack(stacks.platform),
    application: Template.fromStack(stacks.application),
  };
};
