/**
 * The CDK app (`cdk.json` runs it): the order events system, built from the one declaration of
 * the wiring and the deployment settings in CDK context. See `infra/stacks/order-events-system.ts`.
 *
 * @example
 * ```sh
 * npx cdk synth                     # offline: no credentials, no Docker, no lookups
 * npx cdk deploy --all -c brokerInstanceType=kafka.m7g.large
 * ```
 */
import { App, Validations } from "aws-cdk-lib";
import { readDeploymentSettings } from "./stacks/deployment-settings";
import { awsSolutionsChecks, defineOrderEventsSystem } from "./stacks/order-events-system";
import { systemWiring } from "./wiring/system-wiring";

const app = new App();
defineOrderEventsSystem(app, {
  wiring: systemWiring,
  settings: readDeploymentSettings((key) => app.node.tryGetContext(key)),
});
// Any cdk-nag finding that is not acknowledged (with its reason) fails the synth.
Validations.of(app).addPlugins(awsSolutionsChecks(app));
app.synth();
