import { describe, expect, it } from "vitest";
import {
  MSK_POLLER_NETWORK_ACTIONS,
  TABLE_ACTIONS,
  VPC_FUNCTION_ACTIONS,
} from "../../infra/constructs/function-permissions";
import { systemWiring } from "../../infra/wiring/system-wiring";
import type { FunctionDeclaration } from "../../infra/wiring/types";
import { synthesizeSystem } from "./support/synthesize-system";
import {
  allPolicyStatements,
  asArray,
  type PolicyStatementJson,
  policyStatementsOf,
  resourceAt,
  resourcesOfType,
  statementsWithAction,
} from "./support/template-queries";

const system = synthesizeSystem();

/** The only actions allowed on `*`: none of them has a resource type to scope to. */
const UNSCOPED_ACTIONS = new Set<string>([
  "xray:PutTraceSegments",
  "xray:PutTelemetryRecords",
  ...VPC_FUNCTION_ACTIONS,
  ...MSK_POLLER_NETWORK_ACTIONS,
]);

const consumers = systemWiring.functions.flatMap((fn) =>
  fn.trigger?.kind === "kafka" ? [{ fn, trigger: fn.trigger }] : [],
);
const producers = systemWiring.functions.filter(
  (fn) => (fn.access.kafka?.produceTo ?? []).length > 0,
);

/** A Kafka topic or group ARN built from the cluster ARN: `…:<type>/<cluster path>/<name>`. */
const kafkaArn = (type: "topic" | "group", name: string) => ({
  "Fn::Join": [
    "",
    [
      "arn:",
      { Ref: "AWS::Partition" },
      ":kafka:",
      { Ref: "AWS::Region" },
      ":",
      { Ref: "AWS::AccountId" },
      `:${type}/`,
      {
        "Fn::Select": [
          1,
          {
            "Fn::Split": [
              ":cluster/",
              { "Fn::ImportValue": expect.stringMatching(/KafkaCluster/) },
            ],
          },
        ],
      },
      `/${name}`,
    ],
  ],
});
const clusterArn = { "Fn::ImportValue": expect.stringMatching(/KafkaCluster.*Arn/) };

const resourcesGranting = (statements: PolicyStatementJson[], action: string) =>
  statementsWithAction(statements, action).flatMap((statement) => asArray(statement.Resource));

const allFunctionStatements = () =>
  systemWiring.functions.flatMap((fn: FunctionDeclaration) =>
    policyStatementsOf(system.application, fn.name).map((statement) => ({ fn, statement })),
  );

describe("least privilege", () => {
  it("gives every function its own role with no AWS managed policy", () => {
    // Act
    const roles = systemWiring.functions.map(
      (fn) =>
        resourceAt(system.application, "AWS::IAM::Role", `${fn.name}/Role/Resource`).properties,
    );

    // Assess
    for (const role of roles) expect(role.ManagedPolicyArns).toBeUndefined();
    expect(resourcesOfType(system.application, "AWS::IAM::Policy")).toHaveLength(
      systemWiring.functions.length,
    );
  });

  it("grants no wildcard action anywhere", () => {
    // Act
    const wildcardActions = [
      ...allPolicyStatements(system.application),
      ...allPolicyStatements(system.platform),
    ].flatMap((statement) => asArray(statement.Action).filter((action) => action.includes("*")));

    // Assess
    expect(wildcardActions).toEqual([]);
  });

  it("uses `*` resources only for actions that cannot be scoped", () => {
    // Act
    const unscoped = allFunctionStatements().filter(({ statement }) =>
      asArray(statement.Resource).includes("*"),
    );

    // Assess
    for (const { statement } of unscoped) {
      for (const action of asArray(statement.Action)) expect(UNSCOPED_ACTIONS).toContain(action);
    }
  });

  it("names no wildcard in any scoped resource except new objects of a written bucket", () => {
    // Act
    const wildcardResources = allFunctionStatements().flatMap(({ statement }) =>
      asArray(statement.Resource).filter(
        (resource) => resource !== "*" && JSON.stringify(resource).includes("*"),
      ),
    );

    // Assess
    expect(wildcardResources).toEqual([
      {
        "Fn::Join": [
          "",
          [{ "Fn::GetAtt": [expect.stringMatching(/^Bucketsoutboxdeadletters/), "Arn"] }, "/*"],
        ],
      },
    ]);
  });

  it.each(systemWiring.functions)("$name writes logs only to its own log group", (fn) => {
    // Prepare
    const logGroup = resourceAt(
      system.application,
      "AWS::Logs::LogGroup",
      `${fn.name}/Logs/Resource`,
    );

    // Act
    const statements = statementsWithAction(
      policyStatementsOf(system.application, fn.name),
      "logs:PutLogEvents",
    );

    // Assess
    expect(statements.map((statement) => statement.Resource)).toEqual([
      { "Fn::GetAtt": [logGroup.logicalId, "Arn"] },
    ]);
  });

  it.each(systemWiring.functions)(
    "$name reaches only its declared tables, with its access's actions",
    (fn) => {
      // Prepare
      const tables = fn.access.tables ?? [];

      // Act
      const statements = policyStatementsOf(system.application, fn.name).filter((statement) =>
        asArray(statement.Action).includes("dynamodb:GetItem"),
      );

      // Assess
      expect(statements).toEqual(
        tables.map((access) => ({
          Sid: expect.any(String),
          Effect: "Allow",
          Action: [...TABLE_ACTIONS[access.access]],
          Resource: {
            "Fn::GetAtt": [
              expect.stringMatching(new RegExp(`^Tables${access.table.replaceAll("-", "")}`)),
              "Arn",
            ],
          },
        })),
      );
    },
  );

  it("lets read-only access write nothing", () => {
    // Act
    const readActions: readonly string[] = TABLE_ACTIONS.read;

    // Assess
    expect(readActions.some((action) => /Put|Update|Delete|Write/.test(action))).toBe(false);
  });

  it.each(consumers)(
    "$fn.name: its mapping may consume its topic in its own group only",
    ({ fn, trigger }) => {
      // Prepare
      const statements = policyStatementsOf(system.application, fn.name);

      // Assess
      expect(resourcesGranting(statements, "kafka-cluster:Connect")).toEqual([clusterArn]);
      expect(resourcesGranting(statements, "kafka:DescribeClusterV2")).toEqual([clusterArn]);
      expect(resourcesGranting(statements, "kafka:GetBootstrapBrokers")).toEqual([clusterArn]);
      expect(resourcesGranting(statements, "kafka-cluster:ReadData")).toEqual([
        kafkaArn("topic", trigger.topic),
      ]);
      for (const action of ["kafka-cluster:DescribeGroup", "kafka-cluster:AlterGroup"]) {
        expect(resourcesGranting(statements, action)).toEqual([
          kafkaArn("group", trigger.consumerGroupId),
        ]);
      }
    },
  );

  it.each(consumers.filter(({ trigger }) => trigger.mode.kind === "provisioned"))(
    "$fn.name: its mapping may write its on-failure topic",
    ({ fn, trigger }) => {
      // Prepare
      const onFailureTopic = trigger.mode.kind === "provisioned" ? trigger.mode.onFailureTopic : "";

      // Act
      const writable = resourcesGranting(
        policyStatementsOf(system.application, fn.name),
        "kafka-cluster:WriteData",
      );

      // Assess
      expect(writable).toContainEqual(kafkaArn("topic", onFailureTopic));
    },
  );

  it.each(producers)("$name produces idempotently to exactly its declared topics", (fn) => {
    // Prepare
    const statements = policyStatementsOf(system.application, fn.name);
    const onFailure =
      fn.trigger?.kind === "kafka" && fn.trigger.mode.kind === "provisioned"
        ? [fn.trigger.mode.onFailureTopic]
        : [];

    // Act
    const writable = resourcesGranting(statements, "kafka-cluster:WriteData");

    // Assess
    expect(resourcesGranting(statements, "kafka-cluster:WriteDataIdempotently")).toEqual([
      clusterArn,
    ]);
    expect(writable).toEqual(
      [...(fn.access.kafka?.produceTo ?? []), ...onFailure].map((topic) =>
        kafkaArn("topic", topic),
      ),
    );
    expect(resourcesGranting(statements, "kafka-cluster:DescribeTopic")).toEqual(
      expect.arrayContaining(writable),
    );
  });

  it("lets functions without Kafka access use no Kafka action", () => {
    // Act
    const kafkaActions = systemWiring.functions
      .filter((fn) => fn.access.kafka === undefined && fn.trigger?.kind !== "kafka")
      .flatMap((fn) => policyStatementsOf(system.application, fn.name))
      .flatMap((statement) => asArray(statement.Action))
      .filter((action) => action.startsWith("kafka"));

    // Assess
    expect(kafkaActions).toEqual([]);
  });

  it("lets the relay read its stream and write failed batches to its bucket, nothing more", () => {
    // Act
    const statements = policyStatementsOf(system.application, "outbox-relay");

    // Assess
    for (const action of [
      "dynamodb:DescribeStream",
      "dynamodb:GetRecords",
      "dynamodb:GetShardIterator",
      "dynamodb:ListStreams",
    ]) {
      expect(resourcesGranting(statements, action)).toEqual([
        { "Fn::GetAtt": [expect.stringMatching(/^Tablesorders/), "StreamArn"] },
      ]);
    }
    expect(resourcesGranting(statements, "s3:ListBucket")).toEqual([
      { "Fn::GetAtt": [expect.stringMatching(/^Bucketsoutboxdeadletters/), "Arn"] },
    ]);
    expect(
      statements
        .flatMap((statement) => asArray(statement.Action))
        .filter((action) => action.startsWith("s3:")),
    ).toEqual(["s3:PutObject", "s3:ListBucket"]);
  });

  it("lets the bootstrap-broker reader call exactly GetBootstrapBrokers on the cluster", () => {
    // Act
    const policies = allPolicyStatements(system.platform);

    // Assess
    expect(
      policies.filter((statement) =>
        asArray(statement.Action).some((action) => action.startsWith("kafka")),
      ),
    ).toEqual([
      expect.objectContaining({
        Action: "kafka:GetBootstrapBrokers",
        Resource: { "Fn::GetAtt": [expect.stringMatching(/^KafkaCluster/), "Arn"] },
      }),
    ]);
  });
});
