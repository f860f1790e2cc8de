/**
 * Lookups in synthesized templates by what the declaration names: a function's resources by
 * its declared name (its construct id), and IAM statements as plain data.
 *
 * @example
 * ```ts
 * const { logicalId, properties } = functionResource(system.application, "order-created");
 * policyStatementsOf(system.application, "order-created");
 * ```
 */
import type { Template } from "aws-cdk-lib/assertions";
import { APPLICATION_STACK_NAME } from "../../../infra/stacks/order-events-system";

export interface TemplateResource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
  readonly Metadata?: Record<string, unknown>;
  readonly DependsOn?: string[];
}

export interface PolicyStatementJson {
  readonly Sid?: string;
  readonly Effect: string;
  readonly Action: string | string[];
  readonly Resource: unknown;
}

export class MissingResourceError extends Error {
  override readonly name = "MissingResourceError";
}

export const resourcesOfType = (template: Template, type: string) =>
  Object.entries(template.findResources(type) as Record<string, TemplateResource>);

/** The one resource of a type whose construct path is `<stack>/<path>`. */
export const resourceAt = (
  template: Template,
  type: string,
  path: string,
): { logicalId: string; properties: Record<string, unknown> } => {
  const fullPath = `${APPLICATION_STACK_NAME}/${path}`;
  const found = resourcesOfType(template, type).find(
    ([, resource]) => resource.Metadata?.["aws:cdk:path"] === fullPath,
  );
  if (found === undefined) throw new MissingResourceError(`No ${type} at ${fullPath}`);
  return { logicalId: found[0], properties: found[1].Properties ?? {} };
};

export const functionResource = (template: Template, name: string) =>
  resourceAt(template, "AWS::Lambda::Function", `${name}/Function/Resource`);

export const asArray = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);

/** The statements of an `AWS::IAM::Policy`'s properties. */
export const statementsOf = (properties: Record<string, unknown> | undefined) =>
  (properties?.PolicyDocument as { Statement: PolicyStatementJson[] } | undefined)?.Statement ?? [];

/** Statements of every `AWS::IAM::Policy` of a template. */
export const allPolicyStatements = (template: Template): PolicyStatementJson[] =>
  resourcesOfType(template, "AWS::IAM::Policy").flatMap(([, policy]) =>
    statementsOf(policy.Properties),
  );

/** The statements of a function's role policy (its only policy: no managed policies). */
export const policyStatementsOf = (template: Template, name: string): PolicyStatementJson[] =>
  statementsOf(
    resourceAt(template, "AWS::IAM::Policy", `${name}/Role/DefaultPolicy/Resource`).properties,
  );

/** Statements granting an action (exactly), with their resources. */
export const statementsWithAction = (statements: PolicyStatementJson[], action: string) =>
  statements.filter((statement) => asArray(statement.Action).includes(action));
