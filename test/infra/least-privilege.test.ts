import type { TransactWriteItem } from "@aws-sdk/client-dynamodb";
import { describe, expect, it } from "vitest";
import {
  MSK_POLLER_NETWORK_ACTIONS,
  STREAM_READ_ACTIONS,
  VPC_FUNCTION_ACTIONS,
} from "../../infra/constructs/function-permissions";
import { DEAD_LETTERS_FUNCTION_OUTPUT } from "../../infra/local/dead-letters/lambda-transport";
import {
  consumerFunctionOf,
  ORDER_EVENTS_TOPIC,
  ORDERS_TABLE,
  READ_MODEL_TABLE,
  systemWiring,
} from "../../infra/wiring/system-wiring";
import type { FunctionDeclaration } from "../../infra/wiring/types";
import { DEAD_LETTERS_READER_GROUP_PREFIX } from "../../shared/dead-letters/inventory";
import type { OrderEvent, OrderEventType } from "../../shared/orders/order-events";
import { orderEventTransaction } from "../../shared/read-model";
import { cancelled, created, shipped } from "../unit/read-model/fixtures";
import { synthesizeSystem } from "./support/synthesize-system";
import {
  allPolicyStatements,
  asArray,
  functionResource,
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

/**
 * The DynamoDB item actions each function's code performs, table by table, read from the code
 * and stated here independently of the wiring (a wider grant in the wiring fails these tests):
 *
 * - orders-api: `order-repository` loads with GetItem and commits one TransactWriteItems of
 *   Put items (state, outbox item, Idempotency-Key record); `read-model-queries` uses GetItem.
 * - each read-model consumer: `read-model-writer` sends one TransactWriteItems per event, a Put
 *   (the processed marker) and two Updates (view, customer stats); it reads nothing.
 * - outbox-relay and unrouted-events: no table (the relay's mapping reads the stream).
 *
 * A transaction is authorized per item: Put as PutItem, Update as UpdateItem, ConditionCheck
 * as ConditionCheckItem; there is no IAM action for TransactWriteItems itself.
 */
const readModelConsumerGrants = { [READ_MODEL_TABLE]: ["dynamodb:UpdateItem"] };
const TABLE_GRANTS: Readonly<Record<string, Readonly<Record<string, readonly string[]>>>> = {
  "orders-api": {
    [ORDERS_TABLE]: ["dynamodb:GetItem", "dynamodb:PutItem"],
    [READ_MODEL_TABLE]: ["dynamodb:GetItem"],
  },
  "outbox-relay": {},
  ...Object.fromEntries(
    Object.values(consumerFunctionOf).map((name) => [name, readModelConsumerGrants]),
  ),
  "unrouted-events": {},
  "dead-letters": {},
};

/**
 * The S3 actions each function (and its mapping) performs on the dead-letter bucket, read
 * from the code and stated here independently of the wiring:
 *
 * - outbox-relay: `outbox-dead-letters` parks poison items with PutObject; its stream
 *   mapping writes failed batches (PutObject) and lists the bucket to check it exists.
 * - dead-letters: `dead-letter-inventory` lists (ListObjectsV2 needs ListBucket) and reads
 *   (GetObject) parked items and failed batches; `redrive-ledger` lists and writes marks
 *   (PutObject); a redrive re-parks still-poison items (PutObject); purge deletes
 *   (DeleteObject).
 * - everything else: no bucket.
 */
const BUCKET_GRANTS: Readonly<Record<string, { objects: readonly string[]; list: boolean }>> = {
  "outbox-relay": { objects: ["s3:PutObject"], list: true },
  "dead-letters": {
    objects: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
    list: true,
  },
};

/** Actions no function's code calls: granting any of them is never least privilege here. */
const NEVER_GRANTED = [
  "dynamodb:DeleteItem",
  "dynamodb:BatchWriteItem",
  "dynamodb:Scan",
  "dynamodb:PartiQLDelete",
  "dynamodb:PartiQLUpdate",
  "dynamodb:PartiQLInsert",
  "s3:DeleteBucket",
  "s3:PutBucketPolicy",
];

const deadLetterBucketArn = {
  "Fn::GetAtt": [expect.stringMatching(/^Bucketsoutboxdeadletters/), "Arn"],
};
const deadLetterObjectsArn = { "Fn::Join": ["", [deadLetterBucketArn, "/*"]] };

/** One event of each type, for the transactions the read-model consumers send. */
const sampleEventOf: { readonly [T in OrderEventType]: OrderEvent } = {
  OrderCreated: created,
  OrderShipped: shipped,
  OrderCancelled: cancelled,
};

/** The IAM action that authorizes one item of a TransactWriteItems. */
const transactItemAction = (item: TransactWriteItem): string => {
  if (item.Put !== undefined) return "dynamodb:PutItem";
  if (item.Update !== undefined) return "dynamodb:UpdateItem";
  if (item.Delete !== undefined) return "dynamodb:DeleteItem";
  if (item.ConditionCheck !== undefined) return "dynamodb:ConditionCheckItem";
  throw new Error(`Unknown transaction item ${JSON.stringify(item)}`);
};

/** A table's logical id prefix in the application template, e.g. `Tablesorderreadmodel`. */
const tableArnOf = (table: string) => ({
  "Fn::GetAtt": [expect.stringMatching(new RegExp(`^Tables${table.replaceAll("-", "")}`)), "Arn"],
});

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

  it("names no wildcard in any scoped resource but a bucket's objects and reader groups", () => {
    // Act
    const wildcardResources = allFunctionStatements().flatMap(({ statement }) =>
      asArray(statement.Resource).filter(
        (resource) => resource !== "*" && JSON.stringify(resource).includes("*"),
      ),
    );

    // Assess
    expect(wildcardResources).toEqual([
      deadLetterObjectsArn,
      deadLetterObjectsArn,
      kafkaArn("group", `${DEAD_LETTERS_READER_GROUP_PREFIX}*`),
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

  it("states the expected table grants of every declared function", () => {
    // Assess
    expect(Object.keys(TABLE_GRANTS).sort()).toEqual(
      systemWiring.functions.map((fn) => fn.name).sort(),
    );
  });

  it.each(systemWiring.functions)(
    "$name may perform exactly the item actions its code performs, on exactly its tables",
    (fn) => {
      // Prepare
      const expected = TABLE_GRANTS[fn.name] ?? {};

      // Act
      const statements = policyStatementsOf(system.application, fn.name).filter((statement) =>
        asArray(statement.Action).some(
          (action) =>
            action.startsWith("dynamodb:") &&
            !(STREAM_READ_ACTIONS as readonly string[]).includes(action),
        ),
      );

      // Assess
      expect(statements).toEqual(
        Object.entries(expected).map(([table, actions]) => ({
          Sid: expect.any(String),
          Effect: "Allow",
          Action: actions.length === 1 ? actions[0] : [...actions],
          Resource: tableArnOf(table),
        })),
      );
    },
  );

  it.each(systemWiring.functions)(
    "$name may decrypt with the tables' key only through DynamoDB, and only if it uses a table",
    (fn) => {
      // Prepare
      const usesTables =
        (fn.access.tables ?? []).length > 0 || fn.trigger?.kind === "dynamodb-stream";

      // Act
      const keyStatements = policyStatementsOf(system.application, fn.name).filter((statement) =>
        asArray(statement.Action).some((action) => action.startsWith("kms:")),
      );

      // Assess
      expect(keyStatements).toEqual(
        usesTables
          ? [
              {
                Sid: expect.any(String),
                Effect: "Allow",
                Action: "kms:Decrypt",
                Resource: { "Fn::GetAtt": [expect.stringMatching(/^DataKey/), "Arn"] },
                Condition: {
                  StringEquals: {
                    "kms:ViaService": {
                      "Fn::Join": ["", ["dynamodb.", { Ref: "AWS::Region" }, ".amazonaws.com"]],
                    },
                  },
                },
              },
            ]
          : [],
      );
    },
  );

  it.each(systemWiring.functions)(
    "$name may perform exactly the S3 actions its code performs, on exactly its bucket",
    (fn) => {
      // Prepare
      const expected = BUCKET_GRANTS[fn.name];

      // Act
      const statements = policyStatementsOf(system.application, fn.name).filter((statement) =>
        asArray(statement.Action).some((action) => action.startsWith("s3:")),
      );

      // Assess
      expect(statements).toEqual(
        expected === undefined
          ? []
          : [
              {
                Sid: expect.any(String),
                Effect: "Allow",
                Action: expected.objects.length === 1 ? expected.objects[0] : [...expected.objects],
                Resource: deadLetterObjectsArn,
              },
              ...(expected.list
                ? [
                    {
                      Sid: expect.any(String),
                      Effect: "Allow",
                      Action: "s3:ListBucket",
                      Resource: deadLetterBucketArn,
                    },
                  ]
                : []),
            ],
      );
    },
  );

  it("grants no function an action its code never calls (no DeleteItem, no BatchWriteItem)", () => {
    // Act
    const granted = allFunctionStatements().flatMap(({ fn, statement }) =>
      asArray(statement.Action).map((action) => `${fn.name} ${action}`),
    );

    // Assess
    expect(
      granted.filter((grant) => NEVER_GRANTED.some((action) => grant.endsWith(` ${action}`))),
    ).toEqual([]);
  });

  it.each(Object.entries(consumerFunctionOf))(
    "%s events: every item of the read-model transaction is authorized for %s",
    (eventType, name) => {
      // Prepare
      const event = sampleEventOf[eventType as OrderEventType];
      const items = orderEventTransaction(event, { tableName: READ_MODEL_TABLE });

      // Act
      const needed = [...new Set(items.map(transactItemAction))];
      const granted = policyStatementsOf(system.application, name).flatMap((statement) =>
        asArray(statement.Action),
      );

      // Assess
      expect(needed.length).toBeGreaterThan(0);
      expect(granted).toEqual(expect.arrayContaining(needed));
    },
  );

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

describe("least privilege of the dead-letters function", () => {
  const statements = policyStatementsOf(system.application, "dead-letters");
  const variables = (
    functionResource(system.application, "dead-letters").properties.Environment as {
      Variables: Record<string, string>;
    }
  ).Variables;

  it("reads exactly the topics its code reads, in consumer groups of its reader prefix only", () => {
    // Prepare: the topics the code reads are the ones its environment names.
    const readTopics = [
      ...(variables.DEAD_LETTER_TOPICS ?? "").split(","),
      ...(variables.ON_FAILURE_TOPICS ?? "").split(","),
    ];

    // Assess
    expect(readTopics).toHaveLength(2);
    expect(resourcesGranting(statements, "kafka-cluster:ReadData")).toEqual(
      readTopics.map((topic) => kafkaArn("topic", topic)),
    );
    for (const action of [
      "kafka-cluster:DescribeGroup",
      "kafka-cluster:AlterGroup",
      "kafka-cluster:DeleteGroup",
    ]) {
      expect(resourcesGranting(statements, action)).toEqual([
        kafkaArn("group", `${DEAD_LETTERS_READER_GROUP_PREFIX}*`),
      ]);
    }
    expect(resourcesGranting(statements, "kafka-cluster:Connect")).toEqual([clusterArn]);
  });

  it("writes only the source topic it redrives to, and touches no table", () => {
    // Act
    const actions = statements.flatMap((statement) => asArray(statement.Action));

    // Assess
    expect(resourcesGranting(statements, "kafka-cluster:WriteData")).toEqual([
      kafkaArn("topic", ORDER_EVENTS_TOPIC),
    ]);
    expect(actions.filter((action) => action.startsWith("dynamodb:"))).toEqual([]);
    expect(actions.filter((action) => action.startsWith("kms:"))).toEqual([]);
    // No mapping: nothing describes the cluster or fetches its brokers on its behalf.
    expect(actions).not.toContain("kafka:DescribeClusterV2");
    expect(actions).not.toContain("kafka:GetBootstrapBrokers");
  });

  it("has no trigger, and the stack names it in the output the command line looks up", () => {
    // Prepare
    const fn = functionResource(system.application, "dead-letters");

    // Act
    const mappings = Object.values(
      system.application.findResources("AWS::Lambda::EventSourceMapping"),
    ).filter((mapping) => JSON.stringify(mapping).includes(fn.logicalId));
    const outputs = system.application.findOutputs(DEAD_LETTERS_FUNCTION_OUTPUT);

    // Assess
    expect(mappings).toEqual([]);
    expect(Object.values(outputs)).toEqual([
      expect.objectContaining({ Value: { Ref: fn.logicalId } }),
    ]);
  });
});
