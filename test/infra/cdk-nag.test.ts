import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { systemWiring } from "../../infra/wiring/system-wiring";
import { DEAD_LETTERS_READER_GROUP_PREFIX } from "../../shared/dead-letters/inventory";
import { type SynthesizedSystem, synthesizeSystem } from "./support/synthesize-system";

interface SuppressedViolation {
  readonly ruleName: string;
  readonly reason: string;
  readonly violatingConstructs: readonly { readonly constructPath: string }[];
}

interface PluginReport {
  readonly pluginName: string;
  readonly conclusion: string;
  readonly violations: readonly unknown[];
  readonly suppressedViolations?: readonly SuppressedViolation[];
}

const awsSolutionsReport = (system: SynthesizedSystem): PluginReport => {
  const file = path.join(system.app.outdir, "validation-report.json");
  const report = JSON.parse(readFileSync(file, "utf8")) as { pluginReports: PluginReport[] };
  const awsSolutions = report.pluginReports.find((plugin) => plugin.pluginName === "AwsSolutions");
  if (awsSolutions === undefined) throw new Error(`No AwsSolutions report in ${file}`);
  return awsSolutions;
};

/** `<rule> at <construct path>` for every acknowledged finding. */
const acknowledged = (report: PluginReport) =>
  (report.suppressedViolations ?? []).flatMap((violation) =>
    violation.violatingConstructs.map(
      (construct) => `${violation.ruleName} at ${construct.constructPath}`,
    ),
  );

describe("cdk-nag AwsSolutions pack", () => {
  const system = synthesizeSystem({ checkWithCdkNag: true });
  const report = awsSolutionsReport(system);

  it("finds nothing that is not acknowledged", () => {
    // Assess
    expect(report.violations).toEqual([]);
    expect(report.conclusion).toBe("success");
  });

  it("acknowledges exactly the expected findings", () => {
    // Prepare
    const functionRoles = systemWiring.functions.map(
      (fn) =>
        `AwsSolutions-IAM5[Resource::*] at OrderEventsApplication/${fn.name}/Role/DefaultPolicy/Resource`,
    );

    // Act: generated logical ids and export names shortened to what they name.
    const findings = acknowledged(report).map((finding) =>
      finding
        .replace(/<Bucketsoutboxdeadletters\w+\.Arn>/, "<dead-letter bucket>")
        .replace(/group\/\{"Fn::Select".*KafkaCluster\w+"\}\]\}\]\}\//, "group/<cluster>/"),
    );

    // Assess
    expect(findings.sort()).toEqual(
      [
        "AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole] at OrderEventsPlatform/AWS679f53fac002430cb0da5b7982bd2287/ServiceRole/Resource",
        ...functionRoles,
        "AwsSolutions-IAM5[Resource::<dead-letter bucket>/*] at OrderEventsApplication/outbox-relay/Role/DefaultPolicy/Resource",
        "AwsSolutions-IAM5[Resource::<dead-letter bucket>/*] at OrderEventsApplication/dead-letters/Role/DefaultPolicy/Resource",
        `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:kafka:<AWS::Region>:<AWS::AccountId>:group/<cluster>/${DEAD_LETTERS_READER_GROUP_PREFIX}*] at OrderEventsApplication/dead-letters/Role/DefaultPolicy/Resource`,
      ].sort(),
    );
  });

  it("states a reason for every acknowledgment", () => {
    // Assess
    for (const violation of report.suppressedViolations ?? []) {
      expect(violation.reason.length, violation.ruleName).toBeGreaterThan(60);
    }
  });

  it("acknowledges an open API only when the deployment asks for one", () => {
    // Act
    const open = awsSolutionsReport(
      synthesizeSystem({ checkWithCdkNag: true, context: { apiAuthorization: "none" } }),
    );

    // Assess
    expect(open.violations).toEqual([]);
    expect(
      acknowledged(open).filter((finding) => finding.startsWith("AwsSolutions-APIG4")),
    ).toHaveLength(systemWiring.functions.flatMap((fn) => fn.routes ?? []).length);
    expect(acknowledged(report).some((finding) => finding.startsWith("AwsSolutions-APIG4"))).toBe(
      false,
    );
  });
});
