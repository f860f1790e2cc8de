import { readFileSync } from "node:fs";
import { join } from "node:path";
import {
  afterEach,
  beforeAll,
  beforeEach,
  describe,
  expect,
  it,
  type MockInstance,
  vi,
} from "vitest";
import {
  BatchIncompleteError,
  CONSUMER_METRIC,
  type EffectContext,
  type EffectOutcome,
  eventConsumerHandler,
  type KafkaBatchResponse,
  unroutedConsumerHandler,
} from "../../../shared/consumer";
import { readDeadLetter } from "../../../shared/dead-letters";
import { TransientError } from "../../../shared/errors";
import {
  type KafkaRecord,
  type LambdaKafkaEvent,
  MalformedHeadersError,
} from "../../../shared/kafka";
import { createMetrics, METRIC, setupTracing } from "../../../shared/observability";
import {
  type OrderEventContracts,
  orderEventContracts,
  orderEventTypes,
} from "../../../shared/orders/order-events";
import { createEventRouter } from "../../../shared/router";
import { lambdaContext } from "../../support/lambda-context";
import { jsonLines } from "../observability/fixtures";
import { consumerSettings, RecordingSender, silentLogger } from "./fixtures";

const fixture = (): LambdaKafkaEvent =>
  JSON.parse(readFileSync(join(import.meta.dirname, "../../fixtures/msk-event.json"), "utf8"));

class Unavailable extends TransientError {}

let stdout: MockInstance<typeof process.stdout.write>;

beforeAll(() => {
  setupTracing({ serviceName: "consumer-handler-test" });
});

beforeEach(() => {
  vi.stubEnv("POWERTOOLS_DEV", undefined);
  vi.stubEnv("POWERTOOLS_METRICS_DISABLED", undefined);
  stdout = vi.spyOn(process.stdout, "write").mockImplementation(() => true);
});

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

const handlerFor = (
  effect: () => Promise<EffectOutcome>,
  mode: "provisioned" | "on-demand",
  sender = new RecordingSender(),
) =>
  eventConsumerHandler({
    functionName: "order-created",
    contracts: orderEventContracts,
    router: createEventRouter<OrderEventContracts, EffectContext, EffectOutcome>().on(
      "OrderCreated",
      effect,
    ),
    settings: consumerSettings({ mode }),
    deadLetters: sender,
    logger: silentLogger(),
    metrics: createMetrics("order-created", {}),
  });

describe("eventConsumerHandler on an MSK event", () => {
  it("applies its type's events across every partition and publishes the batch's metrics", async () => {
    // Prepare: the fixture holds one OrderCreated, two other types and four poison records
    const effect = vi.fn(async (): Promise<EffectOutcome> => "applied");

    // Act
    const response = (await handlerFor(effect, "provisioned")(
      fixture(),
      lambdaContext("order-created"),
    )) as KafkaBatchResponse;

    // Assess
    expect(response).toEqual({ batchItemFailures: [] });
    expect(effect).toHaveBeenCalledTimes(1);
    const emf = jsonLines(stdout.mock.calls).find((line) => "_aws" in line);
    expect(emf).toMatchObject({
      service: "order-created",
      [METRIC.batchSize]: 7,
      [METRIC.recordsProcessed]: 1,
      [METRIC.recordsSkipped]: 6,
      [METRIC.recordsDeadLettered]: 0,
      [METRIC.recordsFailed]: 0,
      [METRIC.recordsDuplicate]: 0,
    });
  });

  it("answers provisioned mode's partial batch response naming the records not done", async () => {
    // Act
    const response = await handlerFor(async () => {
      throw new Unavailable("table away");
    }, "provisioned")(fixture(), lambdaContext("order-created"));

    // Assess: the failed OrderCreated, and the record of its key behind it, never looked at
    expect(response).toEqual({
      batchItemFailures: [
        { itemIdentifier: { partition: "order-events-0", offset: 15 } },
        { itemIdentifier: { partition: "order-events-0", offset: 16 } },
      ],
    });
  });

  it("fails the invocation in on-demand mode, so Lambda delivers the whole batch again", async () => {
    // Act
    const invocation = handlerFor(async () => {
      throw new Unavailable("table away");
    }, "on-demand")(fixture(), lambdaContext("order-created"));

    // Assess
    await expect(invocation).rejects.toBeInstanceOf(BatchIncompleteError);
    await expect(invocation).rejects.toMatchObject({ report: { failed: 2, applied: 0 } });
  });

  it("counts a transient failure past the age bound as dead-lettered and transient-exhausted", async () => {
    // Prepare: the fixture's records are days old; the bound is an hour
    const sender = new RecordingSender();
    const handler = eventConsumerHandler({
      functionName: "order-created",
      contracts: orderEventContracts,
      router: createEventRouter<OrderEventContracts, EffectContext, EffectOutcome>().on(
        "OrderCreated",
        async () => {
          throw new Unavailable("table away");
        },
      ),
      settings: consumerSettings({ transientMaxAgeSeconds: 3600 }),
      deadLetters: sender,
      logger: silentLogger(),
      metrics: createMetrics("order-created", {}),
    });

    // Act
    const response = await handler(fixture(), lambdaContext("order-created"));

    // Assess
    expect(response).toEqual({ batchItemFailures: [] });
    const letters = sender.sends.flat().map((message) => readDeadLetter(message as KafkaRecord));
    expect(letters.map(({ original, failure }) => `${original.offset} ${failure.kind}`)).toEqual([
      "15 transient-exhausted",
    ]);
    const emf = jsonLines(stdout.mock.calls).find((line) => "_aws" in line);
    expect(emf).toMatchObject({
      [METRIC.recordsDeadLettered]: 1,
      [CONSUMER_METRIC.recordsTransientExhausted]: 1,
      [CONSUMER_METRIC.deadLettersReduced]: 0,
      [METRIC.recordsFailed]: 0,
    });
  });

  it("rejects an invocation that is not a Kafka event", async () => {
    // Act
    const invocation = handlerFor(async () => "applied", "provisioned")(
      { Records: [] } as unknown as LambdaKafkaEvent,
      lambdaContext("order-created"),
    );

    // Assess
    await expect(invocation).rejects.toThrow(/eventSource/);
  });

  it("fails the invocation, naming the record and the header, when a hand-made event's headers are not Lambda's", async () => {
    // Prepare: the fixture with one header of order-events-1@4 that is no array of bytes
    const event = fixture();
    const record = event.records["order-events-1"]?.find(({ offset }) => offset === 4);
    if (record === undefined) throw new Error("fixture without order-events-1@4");
    record.headers = [...(record.headers ?? []), { broken: "x" }];
    const sender = new RecordingSender();
    const effect = vi.fn(async (): Promise<EffectOutcome> => "applied");

    // Act
    const invocation = handlerFor(
      effect,
      "provisioned",
      sender,
    )(event, lambdaContext("order-created"));

    // Assess: nothing applied, nothing dead-lettered, Lambda told loudly
    await expect(invocation).rejects.toBeInstanceOf(MalformedHeadersError);
    await expect(invocation).rejects.toThrow(
      /^order-events-1@4 has malformed headers: header \d+ \("broken"\) is not an array of bytes$/,
    );
    expect(effect).not.toHaveBeenCalled();
    expect(sender.sends).toEqual([]);
  });
});

describe("unroutedConsumerHandler on an MSK event", () => {
  it("dead-letters exactly the records no type's filter matches, with their kinds", async () => {
    // Prepare
    const sender = new RecordingSender();
    const handler = unroutedConsumerHandler({
      functionName: "unrouted-events",
      routedEventTypes: orderEventTypes,
      settings: consumerSettings(),
      deadLetters: sender,
      logger: silentLogger(),
      metrics: createMetrics("unrouted-events", {}),
    });

    // Act
    const response = await handler(fixture(), lambdaContext("unrouted-events"));

    // Assess
    expect(response).toEqual({ batchItemFailures: [] });
    const failures = (sender.sends[0] ?? []).map((message) => {
      const { original, failure } = readDeadLetter(message as KafkaRecord);
      return `${original.partition}@${original.offset} ${failure.kind} ${failure.functionName}`;
    });
    expect(failures).toEqual([
      "0@17 undecodable unrouted-events",
      "1@4 undecodable unrouted-events",
      "1@5 undecodable unrouted-events",
      "1@6 permanent unrouted-events",
    ]);
  });
});
