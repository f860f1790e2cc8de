import type { Template } from "aws-cdk-lib/assertions";
import { describe, expect, it } from "vitest";
import { systemWiring } from "../../infra/wiring/system-wiring";
import { synthesizeSystem } from "./support/synthesize-system";
import { resourcesOfType, type TemplateResource } from "./support/template-queries";

const system = synthesizeSystem();
const stacks = [
  ["application", system.application],
  ["platform", system.platform],
] as const;

/** The one customer managed key of a stack. */
const keyOf = (template: Template): [string, TemplateResource] => {
  const keys = resourcesOfType(template, "AWS::KMS::Key");
  expect(keys).toHaveLength(1);
  return keys[0] as [string, TemplateResource];
};

interface KeyPolicyStatement {
  readonly Sid?: string;
  readonly Principal: { readonly AWS?: unknown; readonly Service?: unknown };
  readonly Action: string | string[];
  readonly Condition?: Record<string, Record<string, unknown>>;
}

const keyPolicyOf = (key: TemplateResource): KeyPolicyStatement[] =>
  (key.Properties?.KeyPolicy as { Statement: KeyPolicyStatement[] } | undefined)?.Statement ?? [];

const region = { Ref: "AWS::Region" };

describe("data at rest", () => {
  it.each(stacks)(
    "the %s stack has one customer managed key, rotated yearly",
    (_name, template) => {
      // Act
      const [, key] = keyOf(template);

      // Assess
      expect(key.Properties?.EnableKeyRotation).toBe(true);
    },
  );

  it("keeps the application's key with the tables it protects", () => {
    // Act
    const [, key] = keyOf(system.application);

    // Assess
    expect(key).toMatchObject({ DeletionPolicy: "Retain", UpdateReplacePolicy: "Retain" });
  });

  it.each(systemWiring.tables)("$name is encrypted with the application's key", (table) => {
    // Prepare
    const [keyId] = keyOf(system.application);

    // Act
    const encrypted = resourcesOfType(system.application, "AWS::DynamoDB::Table").filter(
      ([logicalId]) => logicalId.startsWith(`Tables${table.name.replaceAll("-", "")}`),
    );

    // Assess
    expect(encrypted).toHaveLength(1);
    expect(encrypted[0]?.[1].Properties?.SSESpecification).toEqual({
      SSEEnabled: true,
      SSEType: "KMS",
      KMSMasterKeyId: { "Fn::GetAtt": [keyId, "Arn"] },
    });
  });

  it.each(stacks)(
    "every log group of the %s stack is encrypted with its key",
    (_name, template) => {
      // Prepare
      const [keyId] = keyOf(template);

      // Act
      const logGroups = resourcesOfType(template, "AWS::Logs::LogGroup");

      // Assess
      expect(logGroups.length).toBeGreaterThan(0);
      for (const [, logGroup] of logGroups) {
        expect(logGroup.Properties?.KmsKeyId).toEqual({ "Fn::GetAtt": [keyId, "Arn"] });
      }
    },
  );

  it.each(stacks)(
    "the %s key admits CloudWatch Logs only for log groups of its account and region",
    (_name, template) => {
      // Act
      const services = keyPolicyOf(keyOf(template)[1]).filter(
        (statement) => statement.Principal.Service !== undefined,
      );

      // Assess
      expect(services).toEqual([
        expect.objectContaining({
          Principal: { Service: { "Fn::Join": ["", ["logs.", region, ".amazonaws.com"]] } },
          Condition: {
            ArnLike: {
              "kms:EncryptionContext:aws:logs:arn": {
                "Fn::Join": [
                  "",
                  [
                    "arn:",
                    { Ref: "AWS::Partition" },
                    ":logs:",
                    region,
                    ":",
                    { Ref: "AWS::AccountId" },
                    ":log-group:*",
                  ],
                ],
              },
            },
          },
        }),
      ]);
    },
  );
});
