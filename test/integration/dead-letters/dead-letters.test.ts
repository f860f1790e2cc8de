/**
 * `npm run dead-letters` end to end, on the real broker and moto, run as a user runs it (a
 * child process: stdout and exit code). Records land in each of the four places for a real
 * reason: a consumer dead-letters an event its effect refuses and bytes that are no event
 * (the DLQ topic); a local provisioned mapping runs out of retries on a function that keeps
 * failing (the on-failure topic); the relay parks an item naming a topic it is not wired for
 * (S3 poison); the local stream mapping gives up on a batch the relay could not publish
 * (broker unreachable) past a 5-second maximum record age (S3, Lambda's format). `list` and `show` show them with their reasons; after the causes are fixed,
 * `redrive` applies each event exactly once (views and stats exact), a second redrive
 * changes nothing, and the bytes that are still no event come back to the DLQ. The AWS mode
 * (`--stack`) runs the same command through a CloudFormation stack in moto whose output
 * names the function and the local runtime's Lambda Invoke endpoint hosting it.
 */

import { randomUUID } from "node:crypto";
import { join, resolve } from "node:path";
import { CloudFormationClient, CreateStackCommand } from "@aws-sdk/client-cloudformation";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBStreamsClient } from "@aws-sdk/client-dynamodb-streams";
import { ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import type { Context, DynamoDBRecord, DynamoDBStreamEvent } from "aws-lambda";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { toLambdaStreamRecord } from "../../../infra/local/aws/dynamodb-stream-event";
import { ensureBucket } from "../../../infra/local/aws/s3-buckets";
import {
  DEAD_LETTERS_FUNCTION_OUTPUT,
  lambdaTransport,
} from "../../../infra/local/dead-letters/lambda-transport";
import {
  DeadLettersFunctionError,
  functionTransport,
} from "../../../infra/local/dead-letters/local-transport";
import { createFunctionHost } from "../../../infra/local/runtime/function-host";
import { createKafkaEventSource } from "../../../infra/local/runtime/kafka-event-source";
import { LambdaInvokeServer } from "../../../infra/local/runtime/lambda-invoke-server";
import { memoryCheckpoints } from "../../../infra/local/runtime/stream-checkpoints";
import { createStreamEventSource } from "../../../infra/local/runtime/stream-event-source";
import { functionEnvironment } from "../../../infra/wiring/function-environment";
import {
  ORDER_EVENTS_DLQ_TOPIC,
  ORDER_EVENTS_ON_FAILURE_TOPIC,
  ORDER_EVENTS_TOPIC,
  ORDERS_TABLE,
  READ_MODEL_TABLE,
  systemWiring,
} from "../../../infra/wiring/system-wiring";
import {
  type EffectContext,
  type EffectOutcome,
  eventConsumerHandler,
  readConsumerSettings,
} from "../../../shared/consumer";
import type { DeadLetterSummary, RedriveOutcome } from "../../../shared/dead-letters/inventory";
import {
  disconnectSharedProducers,
  KafkaProducer,
  type LambdaKafkaEvent,
  readKafkaSettings,
} from "../../../shared/kafka";
import type { KafkaRecord } from "../../../shared/kafka/kafka-record";
import type { MessageSender } from "../../../shared/kafka/outgoing-message";
import { createLogger, createMetrics } from "../../../shared/observability";
import { type OrderEventContracts, orderEventContracts } from "../../../shared/orders/order-events";
import { createOrderRepository } from "../../../shared/orders/order-repository";
import { createOrderService } from "../../../shared/orders/order-service";
import { relayOutboxRecords, s3OutboxDeadLetters } from "../../../shared/outbox";
import {
  createReadModelQueries,
  createReadModelWriter,
  ReadModelRejectedError,
} from "../../../shared/read-model";
import { createEventRouter } from "../../../shared/router/event-router";
import { useConsumerEnvironment } from "../../support/consumer-environment";
import { importDeclaredHandler } from "../../support/declared-functions";
import { createDeclaredTable } from "../../support/declared-tables";
import { readWholeStream } from "../../support/dynamodb-streams";
import { createDeclaredTopic, readTopic, testKafkaClient } from "../../support/kafka-topics";
import { lambdaContext } from "../../support/lambda-context";
import { awsClientConfig, kafkaBrokers, uniqueName } from "../../support/local-endpoints";
import { mskEvent } from "../../support/msk-events";
import { fileScratchDirectory } from "../../support/scratch-directory";
import { runWithStdoutClosed } from "../../support/tool-run";
import { cliEnvironment, runCli } from "./dead-letters-cli";

const topic = uniqueName("order-events");
const dlqTopic = `${topic}.dlq`;
const onFailureTopic = `${topic}.on-failure`;
const bucket = uniqueName("outbox-dead-letters");
const readModelTable = uniqueName("order-read-model");
const ordersTable = uniqueName("orders");
const customerId = uniqueName("cus");
const places = { topic, bucket };

const dynamodb = new DynamoDBClient(awsClientConfig);
const documents = DynamoDBDocumentClient.from(dynamodb);
const streams = new DynamoDBStreamsClient(awsClientConfig);
const s3 = new S3Client({ ...awsClientConfig, forcePathStyle: true });
const kafka = testKafkaClient();
const producer = new KafkaProducer(readKafkaSettings({ KAFKA_BROKERS: kafkaBrokers.join(",") }));
const queries = createReadModelQueries({ client: dynamodb, tableName: readModelTable });
const orders = createOrderService({
  repository: createOrderRepository({
    client: documents,
    tableName: ordersTable,
    topic,
    source: "orders-api",
    outboxTtlSeconds: 3600,
    idempotencyTtlSeconds: 3600,
  }),
});

type Handler = (event: LambdaKafkaEvent, context: Context) => Promise<unknown>;
let unrouted: Handler;
let streamArn = "";
/** The cause of the DLQ letter: the read model refuses OrderCreated until it is fixed. */
let readModelRefuses = true;

const orderCreated = (): Handler => {
  const readModel = createReadModelWriter({
    client: dynamodb,
    tableName: readModelTable,
  });
  return eventConsumerHandler({
    functionName: "order-created",
    contracts: orderEventContracts,
    router: createEventRouter<OrderEventContracts, EffectContext, EffectOutcome>().on(
      "OrderCreated",
      async (event) => {
        if (readModelRefuses)
          throw new ReadModelRejectedError("the read model refuses OrderCreated");
        return readModel.apply(event);
      },
    ),
    settings: readConsumerSettings(process.env),
    deadLetters: producer,
    logger: createLogger("order-created"),
    metrics: createMetrics("order-created"),
  }) as Handler;
};
let consumer: Handler;

/** The records the consumers have not seen yet, as Lambda would deliver them to both. */
const seen = new Set<string>();
const positionOf = (record: KafkaRecord): string => `${record.partition}@${record.offset}`;
const deliverNewRecords = async (): Promise<KafkaRecord[]> => {
  const fresh = (await readTopic(topic, kafka)).filter((record) => !seen.has(positionOf(record)));
  for (const record of fresh) seen.add(positionOf(record));
  if (fresh.length === 0) return fresh;
  await consumer(mskEvent(fresh), lambdaContext("order-created"));
  await unrouted(mskEvent(fresh), lambdaContext("unrouted-events"));
  return fresh;
};

/** Places an order of one 1.00 EUR item; returns its id and its stream records. */
const placeOrder = async (
  service = orders,
  arn = (): string => streamArn,
): Promise<{ orderId: string; records: DynamoDBRecord[] }> => {
  const { order } = await service.place(
    {
      customer_id: customerId,
      currency: "EUR",
      items: [{ sku: "A", quantity: 1, unit_price: "1.00" }],
    },
    { trace: {} },
  );
  const records = (await readWholeStream(streams, arn()))
    .map((record) => toLambdaStreamRecord(record, arn(), awsClientConfig.region))
    .filter((record) => record.dynamodb?.Keys?.pk?.S?.includes(order.order_id));
  return { orderId: order.order_id, records };
};

const endOffsets = async (name: string): Promise<number> => {
  const admin = kafka.admin();
  await admin.connect();
  const offsets = await admin.fetchTopicOffsets(name);
  await admin.disconnect();
  return offsets.reduce((sum, each) => sum + Number(each.high), 0);
};

const listed = async (): Promise<DeadLetterSummary[]> => {
  const run = await runCli(places, ["list", "--json"]);
  expect(run.code, run.stderr).toBe(0);
  return run.json();
};

/** Polls until `probe` holds; fails after `timeoutMs`. */
const waitFor = async (what: string, probe: () => Promise<boolean>, timeoutMs = 30_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((done) => setTimeout(done, 100));
  }
};

/**
 * The local runtime's provisioned mapping (filtered on the order) over a function that fails
 * every time, as a read model that is down would: Lambda's retries run out and the record
 * goes to the on-failure topic in Lambda's format.
 */
const giveUpThroughProvisionedMapping = async (orderId: string): Promise<void> => {
  const mapping = createKafkaEventSource({
    functionName: "order-created",
    trigger: {
      kind: "kafka",
      topic,
      consumerGroupId: uniqueName("order-created"),
      filters: [{ value: { aggregate_id: [orderId] } }],
      batchSize: 10,
      maximumBatchingWindowSeconds: 0.2,
      startingPosition: "TRIM_HORIZON",
      mode: {
        kind: "provisioned",
        minimumPollers: 1,
        maximumPollers: 1,
        retryAttempts: 2,
        maximumRecordAgeSeconds: -1,
        bisectBatchOnError: false,
        reportBatchItemFailures: false,
        onFailureTopic,
      },
    },
    kafka: testKafkaClient(),
    bootstrapServers: kafkaBrokers.join(","),
    region: awsClientConfig.region,
    invoke: async () => ({
      ok: false,
      requestId: randomUUID(),
      error: { errorType: "ReadModelUnavailableError", errorMessage: "the read model is down" },
    }),
    log: () => undefined,
    retryDelay: () => 50,
  });
  await mapping.start();
  try {
    await waitFor("an on-failure record", async () => (await endOffsets(onFailureTopic)) > 0);
  } finally {
    await mapping.stop();
  }
};

/**
 * An order whose outbox item the local stream mapping could not get published (the relay's
 * broker unreachable) until its batch was older than a 5-second maximum age: Lambda then
 * writes the batch to the bucket in its own format. Its own table, so the batch holds it only.
 */
const ageOutThroughStreamMapping = async (): Promise<string> => {
  const table = uniqueName("orders-aged");
  const arn = (await createDeclaredTable(dynamodb, ORDERS_TABLE, table)).streamArn ?? "";
  const service = createOrderService({
    repository: createOrderRepository({
      client: documents,
      tableName: table,
      topic,
      source: "orders-api",
      outboxTtlSeconds: 3600,
      idempotencyTtlSeconds: 3600,
    }),
  });
  const { orderId } = await placeOrder(service, () => arn);
  const unreachable: MessageSender = {
    send: async () => {
      throw new Error("connect ECONNREFUSED (the broker is unreachable)");
    },
  };
  const mapping = createStreamEventSource({
    functionName: "outbox-relay",
    trigger: {
      kind: "dynamodb-stream",
      table,
      filters: [],
      batchSize: 100,
      maximumBatchingWindowSeconds: 0,
      startingPosition: "TRIM_HORIZON",
      retryAttempts: -1,
      maximumRecordAgeSeconds: 5,
      bisectBatchOnError: false,
      reportBatchItemFailures: true,
      parallelizationFactor: 1,
      onFailure: { kind: "s3", bucket },
    },
    streamArn: arn,
    streams,
    s3,
    onFailureBucket: bucket,
    region: awsClientConfig.region,
    checkpoints: memoryCheckpoints(),
    invoke: async (event) => {
      const { response } = await relayOutboxRecords((event as DynamoDBStreamEvent).Records, {
        sender: unreachable,
        deadLetters: s3OutboxDeadLetters({ client: s3, bucket, functionName: "outbox-relay" }),
        maxMessageBytes: 1_000_000,
        topics: new Set([topic]),
      });
      return { ok: true, value: response, requestId: randomUUID() };
    },
    log: () => undefined,
    pollIntervalMs: 50,
    retryDelay: () => 200,
  });
  await mapping.start();
  try {
    await waitFor("an aged-out batch", async () => {
      const listed = await s3.send(
        new ListObjectsV2Command({ Bucket: bucket, Prefix: "aws/lambda/" }),
      );
      return (listed.KeyCount ?? 0) > 0;
    });
  } finally {
    await mapping.stop();
  }
  return orderId;
};

const ids: Record<string, string> = {};
const orderIds: Record<string, string> = {};

/** Where the hosts below write their function's log, one file each. */
const hostLogs = fileScratchDirectory("dead-letters");

/** The dead-letters function as the wiring declares it, hosted locally over the test's places. */
const deadLettersHost = (name: string) => {
  const declaration = systemWiring.functions.find((fn) => fn.name === "dead-letters");
  if (declaration === undefined) throw new Error("the wiring declares no dead-letters function");
  return createFunctionHost({
    name,
    entry: resolve(import.meta.dirname, "../../..", declaration.entry),
    environment: {
      // What CDK gives it, with this test's bucket and broker...
      ...functionEnvironment(declaration, {
        tableName: (table) => table,
        bucketName: () => bucket,
        kafka: { brokers: kafkaBrokers.join(","), auth: "none", tls: false },
      }),
      // ...and this test's topics in place of the declared ones.
      DEAD_LETTER_TOPICS: dlqTopic,
      ON_FAILURE_TOPICS: onFailureTopic,
      KAFKA_PRODUCE_TOPICS: topic,
      AWS_ENDPOINT_URL: awsClientConfig.endpoint,
      AWS_REGION: awsClientConfig.region,
      AWS_ACCESS_KEY_ID: "local",
      AWS_SECRET_ACCESS_KEY: "local",
      S3_FORCE_PATH_STYLE: "true",
      POWERTOOLS_LOG_LEVEL: "ERROR",
    },
    timeoutSeconds: declaration.timeoutSeconds,
    logFile: join(hostLogs, `${name}.log`),
  });
};

/** The deployed function's name, as the stack's output gives it. */
const deployedName = uniqueName("dead-letters");
const stackName = uniqueName("orders-stack");
const deployedHost = deadLettersHost(deployedName);
let invokeServer: LambdaInvokeServer;
/** What `--stack` runs need: CloudFormation in moto, Lambda at the invoke endpoint. */
const awsMode = (): Record<string, string> => ({
  AWS_ENDPOINT_URL_CLOUDFORMATION: awsClientConfig.endpoint,
  AWS_ENDPOINT_URL_LAMBDA: invokeServer.url,
});

/** A stack in moto whose output names the function, as the deployed stack's does. */
const createStackNamingFunction = async (): Promise<void> => {
  const cloudFormation = new CloudFormationClient(awsClientConfig);
  const template = {
    Resources: {
      // moto needs the parameter's name (it fails the create without one).
      Marker: {
        Type: "AWS::SSM::Parameter",
        Properties: { Name: `/${stackName}/marker`, Type: "String", Value: deployedName },
      },
    },
    Outputs: { [DEAD_LETTERS_FUNCTION_OUTPUT]: { Value: deployedName } },
  };
  await cloudFormation.send(
    new CreateStackCommand({ StackName: stackName, TemplateBody: JSON.stringify(template) }),
  );
  cloudFormation.destroy();
};

beforeAll(async () => {
  await Promise.all([
    createDeclaredTopic(ORDER_EVENTS_TOPIC, topic, kafka),
    createDeclaredTopic(ORDER_EVENTS_DLQ_TOPIC, dlqTopic, kafka),
    createDeclaredTopic(ORDER_EVENTS_ON_FAILURE_TOPIC, onFailureTopic, kafka),
    createDeclaredTable(dynamodb, READ_MODEL_TABLE, readModelTable),
    ensureBucket(s3, bucket),
  ]);
  streamArn = (await createDeclaredTable(dynamodb, ORDERS_TABLE, ordersTable)).streamArn ?? "";
  useConsumerEnvironment(
    { readModelTable, deadLetterTopic: dlqTopic, mode: "on-demand" },
    {
      // As the wiring declares it for unrouted-events.
      ROUTED_EVENT_TYPES:
        systemWiring.functions.find((fn) => fn.name === "unrouted-events")?.environment
          .ROUTED_EVENT_TYPES ?? "",
    },
  );
  unrouted = await importDeclaredHandler<Handler>("unrouted-events");
  consumer = orderCreated();
  await createStackNamingFunction();
  invokeServer = await LambdaInvokeServer.start({
    port: 0,
    log: () => undefined,
    invoke: (name, event) => (name === deployedName ? deployedHost.invoke(event) : undefined),
  });
});

afterAll(async () => {
  await invokeServer?.close();
  await deployedHost.stop();
  await producer.disconnect();
  await disconnectSharedProducers();
});

describe("npm run dead-letters", { timeout: 180_000 }, () => {
  it("lists a dead letter of each of the four places with its reason", async () => {
    // DLQ: an event the consumer's effect refuses, and bytes that are no event at all.
    const dlqOrder = await placeOrder();
    orderIds.dlq = dlqOrder.orderId;
    await relayOutboxRecords(dlqOrder.records, {
      sender: producer,
      deadLetters: s3OutboxDeadLetters({ client: s3, bucket, functionName: "outbox-relay" }),
      maxMessageBytes: 1_000_000,
      topics: new Set([topic]),
    });
    await producer.send([
      { topic, key: "junk", value: Buffer.from("this is not json"), headers: [] },
    ]);
    await deliverNewRecords();

    // On-failure topic: a provisioned mapping gave up on the event after its retries.
    const onFailureOrder = await placeOrder();
    orderIds.onFailure = onFailureOrder.orderId;
    await relayOutboxRecords(onFailureOrder.records, {
      sender: producer,
      deadLetters: s3OutboxDeadLetters({ client: s3, bucket, functionName: "outbox-relay" }),
      maxMessageBytes: 1_000_000,
      topics: new Set([topic]),
    });
    const gaveUpOn = (await readTopic(topic, kafka)).find((record) =>
      record.key?.toString().includes(onFailureOrder.orderId),
    ) as KafkaRecord;
    seen.add(positionOf(gaveUpOn)); // Lambda gave up on it: the consumers never applied it.
    await giveUpThroughProvisionedMapping(onFailureOrder.orderId);

    // S3 poison: the relay is not wired for the item's topic.
    const poisonOrder = await placeOrder();
    orderIds.poison = poisonOrder.orderId;
    await relayOutboxRecords(poisonOrder.records, {
      sender: producer,
      deadLetters: s3OutboxDeadLetters({ client: s3, bucket, functionName: "outbox-relay" }),
      maxMessageBytes: 1_000_000,
      topics: new Set(["some-other-topic"]),
    });

    // S3 stream on-failure record: the broker was unreachable until the batch aged out.
    orderIds.aged = await ageOutThroughStreamMapping();

    const entries = await listed();
    const byPlace = (place: string) => entries.filter((entry) => entry.place === place);
    expect(
      byPlace("dlq")
        .map((entry) => entry.kind)
        .sort(),
    ).toEqual(["permanent", "undecodable"]);
    const refused = byPlace("dlq").find((entry) => entry.kind === "permanent") as DeadLetterSummary;
    expect(refused).toMatchObject({
      source_topic: topic,
      event_type: "OrderCreated",
      function: "order-created",
      reason: expect.stringContaining("the read model refuses OrderCreated"),
      redriven_at: null,
    });
    expect(byPlace("on-failure")).toEqual([
      expect.objectContaining({
        kind: "RetryAttemptsExhausted",
        function: "order-created",
        attempts: 3,
        reason: expect.stringContaining("ReadModelUnavailableError") as string,
        source_offset: gaveUpOn.offset,
        event_type: "OrderCreated",
      }),
    ]);
    expect(byPlace("outbox-poison")).toEqual([
      expect.objectContaining({
        kind: "permanent",
        table: ordersTable,
        event_type: "OrderCreated",
        reason: expect.stringContaining("some-other-topic") as string,
      }),
    ]);
    expect(byPlace("stream-aged-out")).toEqual([
      expect.objectContaining({
        kind: "RecordAgeExceeded",
        function: "outbox-relay",
        event_type: "OrderCreated",
        reason: expect.stringContaining("RecordAgeExceeded") as string,
      }),
    ]);
    expect(entries.map((entry) => entry.last_failure_at)).toEqual(
      entries
        .map((entry) => entry.last_failure_at)
        .sort()
        .reverse(),
    );
    for (const entry of entries) ids[`${entry.place}:${entry.kind}`] = entry.id;
  });

  it("the dead-letters function, hosted by the local runtime, answers as the command does", async () => {
    const host = deadLettersHost("dead-letters");
    const transport = functionTransport(
      (event) => host.invoke(event),
      () => host.stop(),
    );
    try {
      const answer = await transport.run({ command: "list", filters: {} });
      expect(answer).toEqual({ command: "list", entries: await listed(), unreadable: [] });
      await expect(transport.run({ command: "nope" } as never)).rejects.toThrow(
        DeadLettersFunctionError,
      );
    } finally {
      await transport.close();
    }
  });

  it("list --stack finds the function through the stack and prints what local mode prints", async () => {
    // Prepare
    const local = await runCli(places, ["list"]);

    // Act
    const aws = await runCli(places, ["list", "--stack", stackName], awsMode());
    const awsJson = await runCli(places, ["list", "--json", "--stack", stackName], awsMode());
    const byName = await runCli(places, ["list", "--json"], {
      ...awsMode(),
      DEAD_LETTERS_FUNCTION_NAME: deployedName,
    });

    // Assess
    expect(aws.code, aws.stderr).toBe(0);
    expect(aws.stdout).toBe(local.stdout);
    expect(awsJson.json()).toEqual(await listed());
    expect(byName.json()).toEqual(awsJson.json());
  });

  it("against moto and the local Invoke API, needs no AWS region or credentials", async () => {
    // Prepare: a shell with no AWS settings at all, as docs/operations.md's offline example
    const noAwsSettings = {
      AWS_REGION: undefined,
      AWS_DEFAULT_REGION: undefined,
      AWS_ACCESS_KEY_ID: undefined,
      AWS_SECRET_ACCESS_KEY: undefined,
      AWS_SESSION_TOKEN: undefined,
      AWS_PROFILE: undefined,
      AWS_ENDPOINT_URL: undefined,
      // Nor the SDK's files, should this machine have an ~/.aws of its own.
      AWS_CONFIG_FILE: "/nonexistent/aws-config",
      AWS_SHARED_CREDENTIALS_FILE: "/nonexistent/aws-credentials",
    };

    // Act
    const byName = await runCli(places, ["list", "--json"], {
      ...noAwsSettings,
      AWS_ENDPOINT_URL_LAMBDA: invokeServer.url,
      DEAD_LETTERS_FUNCTION_NAME: deployedName,
    });
    const byStack = await runCli(places, ["list", "--json", "--stack", stackName], {
      ...noAwsSettings,
      ...awsMode(),
    });

    // Assess
    expect(byName.code, byName.stderr).toBe(0);
    expect(byName.json()).toEqual(await listed());
    expect(byStack.code, byStack.stderr).toBe(0);
    expect(byStack.json()).toEqual(byName.json());
  });

  it("--help prints the usage and exits 0; an unknown flag prints it and exits 2", async () => {
    // Act
    const help = await runCli(places, ["--help"]);
    const unknown = await runCli(places, ["list", "--nope"]);

    // Assess
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^usage: npm run dead-letters -- <command>/);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("--nope");
    expect(unknown.stderr).toContain("usage: npm run dead-letters");
  });

  it("list ends quietly when its reader goes away, as `| head` does", async () => {
    // Act: the reading end closed before the command has printed
    const run = await runWithStdoutClosed(
      "dead-letters",
      ["list", "--json"],
      cliEnvironment(places),
    );

    // Assess: no crash (an unhandled EPIPE exits 1 with its stack on stderr)
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
  });

  it("--stack names a clear error when the function fails or is not there", async () => {
    // Act
    const missing = await runCli(places, ["list", "--stack", "no-such-stack"], awsMode());
    const unknown = await runCli(places, ["list"], {
      ...awsMode(),
      DEAD_LETTERS_FUNCTION_NAME: "no-such-function",
    });
    // A request the function refuses: Invoke answers FunctionError with Lambda's error body.
    Object.assign(process.env, awsMode(), {
      AWS_ACCESS_KEY_ID: "local",
      AWS_SECRET_ACCESS_KEY: "local",
    });
    const transport = await lambdaTransport(
      { DEAD_LETTERS_FUNCTION_NAME: deployedName },
      undefined,
    );
    const failing = transport.run({ command: "nope" } as never);

    // Assess
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("no-such-stack");
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain("ResourceNotFoundException");
    await expect(failing).rejects.toThrow(DeadLettersFunctionError);
    await expect(failing).rejects.toThrow(/ZodError/);
    await transport.close();
  });

  it("shows one dead letter whole, its value decoded when JSON and as base64 when not", async () => {
    const refused = await runCli(places, ["show", ids["dlq:permanent"] ?? ""]);
    expect(refused.code, refused.stderr).toBe(0);
    const shown = JSON.parse(refused.stdout) as {
      stored: { value: { event_type: string }; headers: { name: string }[] };
    };
    expect(shown.stored.value.event_type).toBe("OrderCreated");
    expect(shown.stored.headers.map((header) => header.name)).toContain("dlq_error_message");
    const junk = JSON.parse(
      (await runCli(places, ["show", ids["dlq:undecodable"] ?? ""])).stdout,
    ) as {
      stored: { value: unknown };
    };
    expect(junk.stored.value).toEqual({
      base64: Buffer.from("this is not json").toString("base64"),
    });
    const missing = await runCli(places, ["show", "dlq:nowhere:0:0"]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("no dead letter has that id");
  });

  it("redrive --dry-run says what would move and moves nothing", async () => {
    const before = await endOffsets(topic);
    const run = await runCli(places, ["redrive", "--dry-run", "--json"]);
    expect(run.code, run.stderr).toBe(0);
    const outcomes = run.json<RedriveOutcome>();
    expect(outcomes.map((outcome) => outcome.outcome)).toEqual(Array(5).fill("would-redrive"));
    expect(await endOffsets(topic)).toBe(before);
    expect((await listed()).every((entry) => entry.redriven_at === null)).toBe(true);
  });

  it("redrive applies each exactly once after the cause is fixed; the still poison comes back", async () => {
    readModelRefuses = false;
    // Through the deployed function (--stack): the same operations where the places are.
    const run = await runCli(
      places,
      ["redrive", "--json", "--rate", "20", "--stack", stackName],
      awsMode(),
    );
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.json<RedriveOutcome>().map((outcome) => outcome.outcome)).toEqual(
      Array(5).fill("redriven"),
    );
    await deliverNewRecords();

    for (const orderId of Object.values(orderIds)) {
      expect(await queries.orderView(orderId)).toMatchObject({ status: "CREATED", version: 1 });
    }
    expect(await queries.customerStats(customerId)).toMatchObject({
      lifetime_value: { EUR: "4.00" },
    });

    const after = await listed();
    const originals = after.filter((entry) => Object.values(ids).includes(entry.id));
    expect(originals).toHaveLength(5);
    expect(originals.every((entry) => entry.redriven_at !== null)).toBe(true);
    const back = after.filter((entry) => !Object.values(ids).includes(entry.id));
    expect(back).toEqual([
      expect.objectContaining({
        place: "dlq",
        kind: "undecodable",
        redriven_at: null,
        reason: expect.stringContaining("not JSON") as string,
      }),
    ]);
  });

  it("a second redrive changes nothing; --again sends again and consumers apply nothing twice", async () => {
    const stats = await queries.customerStats(customerId);
    const before = await endOffsets(topic);
    const second = await runCli(places, [
      "redrive",
      "--json",
      ...Object.values(ids).flatMap((id) => ["--id", id]),
    ]);
    expect(second.code, second.stderr).toBe(0);
    expect(second.json<RedriveOutcome>().map((outcome) => outcome.outcome)).toEqual(
      Array(5).fill("skipped"),
    );
    expect(await endOffsets(topic)).toBe(before);
    const secondByStack = await runCli(
      places,
      [
        "redrive",
        "--json",
        "--stack",
        stackName,
        ...Object.values(ids).flatMap((id) => ["--id", id]),
      ],
      awsMode(),
    );
    expect(secondByStack.code, secondByStack.stderr).toBe(0);
    expect(secondByStack.json<RedriveOutcome>().map((outcome) => outcome.outcome)).toEqual(
      Array(5).fill("skipped"),
    );
    expect(await endOffsets(topic)).toBe(before);

    const again = await runCli(places, [
      "redrive",
      "--again",
      "--json",
      "--place",
      "stream-aged-out",
      "--place",
      "on-failure",
    ]);
    expect(again.json<RedriveOutcome>().map((outcome) => outcome.outcome)).toEqual([
      "redriven",
      "redriven",
    ]);
    expect(await endOffsets(topic)).toBe(before + 2);
    await deliverNewRecords();
    expect(await queries.customerStats(customerId)).toEqual(stats);
  });

  it("purge refuses without a terminal or --yes, and drops what is older than the age", async () => {
    const refused = await runCli(places, ["purge", "--older-than", "0s"]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("--yes");
    const purged = await runCli(places, [
      "purge",
      "--older-than",
      "0s",
      "--yes",
      "--json",
      "--place",
      "outbox-poison",
      "--place",
      "dlq",
    ]);
    expect(purged.code, purged.stderr).toBe(0);
    expect(
      purged
        .json()
        .map((entry) => entry.place)
        .sort(),
    ).toEqual(["dlq", "dlq", "dlq", "outbox-poison"]);
    expect((await listed()).map((entry) => entry.place).sort()).toEqual([
      "on-failure",
      "stream-aged-out",
    ]);
  });
});
