/**
 * The whole system in a CDK app: the platform stack (network, MSK cluster, topics) and the
 * application stack (tables, functions, mappings, API, alarms), built from the one declaration
 * of the wiring and the deployment settings. `infra/app.ts` and the infrastructure tests build
 * the app the same way; {@link awsSolutionsChecks} is the cdk-nag pack both run.
 *
 * Stacks are environment-agnostic (account and region come from the deploying credentials),
 * so `cdk synth` runs offline with no lookups.
 *
 * @example
 * ```ts
 * const app = new App();
 * const { platform, application } = defineOrderEventsSystem(app, {
 *   wiring: systemWiring,
 *   settings: readDeploymentSettings((key) => app.node.tryGetContext(key)),
 * });
 * ```
 */
import { type App, Tags } from "aws-cdk-lib";
import cdkNag from "cdk-nag";
import type { SystemWiring } from "../wiring/types";
import { ApplicationStack } from "./application-stack";
import type { DeploymentSettings } from "./deployment-settings";
import { PlatformStack } from "./platform-stack";

// cdk-nag is CommonJS and Node cannot see all of its named exports from ESM.
const { AwsSolutionsChecks } = cdkNag;

export const PLATFORM_STACK_NAME = "OrderEventsPlatform";
export const APPLICATION_STACK_NAME = "OrderEventsApplication";

/**
 * CDK feature flags the stacks rely on, set on the app before any stack is added (so they do
 * not depend on `cdk.json`).
 */
export const FEATURE_FLAGS = {
  // Grant S3 server access logging through the log bucket's policy, not the legacy ACL.
  "@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy": true,
  // The application imports the platform's outputs with Fn::ImportValue, so CloudFormation
  // refuses to delete the platform (or an output in use) while the application uses it.
  "@aws-cdk/core:defaultCrossStackReferences": "strong",
} as const;

export interface OrderEventsSystemProps {
  readonly wiring: SystemWiring;
  readonly settings: DeploymentSettings;
}

export interface OrderEventsSystem {
  readonly platform: PlatformStack;
  readonly application: ApplicationStack;
}

export const defineOrderEventsSystem = (
  app: App,
  { wiring, settings }: OrderEventsSystemProps,
): OrderEventsSystem => {
  for (const [flag, value] of Object.entries(FEATURE_FLAGS)) app.node.setContext(flag, value);
  const platform = new PlatformStack(app, PLATFORM_STACK_NAME, {
    description: "Order events: VPC, MSK cluster and topics",
    settings,
    topics: wiring.topics,
  });
  const application = new ApplicationStack(app, APPLICATION_STACK_NAME, {
    description: "Order events: tables, functions, event source mappings, HTTP API, alarms",
    wiring,
    settings,
    kafka: platform.kafka,
  });
  Tags.of(app).add("project", "msk-order-events", {
    // The resource schemas of cfn-lint 1.51 do not accept Tags on dashboards; they need none.
    excludeResourceTypes: ["AWS::CloudWatch::Dashboard"],
  });
  return { platform, application };
};

/**
 * The cdk-nag AwsSolutions pack (a CDK policy validation plugin in cdk-nag 3). Registered with
 * `Validations.of(app).addPlugins(...)`, it runs during synthesis, fails it on any finding not
 * acknowledged with a reason, and writes `validation-report.json` into the cloud assembly.
 */
export const awsSolutionsChecks = (app: App) => new AwsSolutionsChecks(app, { verbose: true });
