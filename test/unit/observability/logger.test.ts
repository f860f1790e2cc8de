import middy from "@middy/core";
import { InMemorySpanExporter } from "@opentelemetry/sdk-trace";
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { HEADER } from "../../../shared/kafka/headers";
import type { KafkaRecord } from "../../../shared/kafka/kafka-record";
import {
  createLogger,
  errorLogKeys,
  injectLambdaContext,
  recordLogKeys,
  setupTracing,
  withRecordSpan,
} from "../../../shared/observability";
import { lambdaContext } from "../../support/lambda-context";
import {
  EVENT_ID,
  jsonLines,
  kafkaRecord,
  REMOTE_TRACE_ID,
  REMOTE_TRACEPARENT,
  recordHeaders,
} from "./fixtures";

let written: unknown[][];

beforeAll(() => {
  setupTracing({ serviceName: "order-created", exporter: new InMemorySpanExporter() });
});

beforeEach(() => {
  // Powertools writes to its own Console on process.stdout unless POWERTOOLS_DEV is set.
  vi.stubEnv("POWERTOOLS_DEV", undefined);
  vi.stubEnv("AWS_LAMBDA_LOG_LEVEL", undefined);
  // Powertools' Console writes warnings and errors to stderr, the rest to stdout.
  written = [];
  const capture = (...args: unknown[]): boolean => {
    written.push(args);
    return true;
  };
  vi.spyOn(process.stdout, "write").mockImplementation(capture);
  vi.spyOn(process.stderr, "write").mockImplementation(capture);
});

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

const logLines = (): Record<string, unknown>[] =>
  jsonLines(written).filter((line) => line.service === "order-created");

describe("createLogger with recordLogKeys", () => {
  it("writes one JSON line with the invocation's and the record's keys", async () => {
    // Prepare
    const logger = createLogger("order-created");
    const handler = middy(async (records: KafkaRecord[]) => {
      for (const record of records) {
        await withRecordSpan(record, "process", async () => {
          logger.info("event applied", recordLogKeys(record, EVENT_ID));
        });
      }
    }).use(injectLambdaContext(logger));
    const record = kafkaRecord(recordHeaders({ [HEADER.traceparent]: REMOTE_TRACEPARENT }));

    // Act
    const context = lambdaContext("order-created");
    await handler([record], context);

    // Assess
    const lines = logLines();
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      level: "INFO",
      message: "event applied",
      service: "order-created",
      function_name: "order-created",
      function_request_id: context.awsRequestId,
      topic: "order-events",
      partition: 2,
      offset: 41,
      event_id: EVENT_ID,
      trace_id: REMOTE_TRACE_ID,
    });
    expect(lines[0]?.timestamp).toEqual(expect.any(String));
  });

  it("takes event_id from the record's header and leaves out what is unknown", () => {
    // Prepare
    const logger = createLogger("order-created");

    // Act
    logger.info("received", recordLogKeys(kafkaRecord(recordHeaders())));
    logger.info("received", recordLogKeys(kafkaRecord()));

    // Assess
    const [withHeader, bare] = logLines();
    expect(withHeader).toMatchObject({ event_id: EVENT_ID });
    expect(withHeader).not.toHaveProperty("trace_id");
    expect(bare).not.toHaveProperty("event_id");
    expect(bare).toMatchObject({ topic: "order-events", partition: 2, offset: 41 });
  });

  it("follows POWERTOOLS_LOG_LEVEL", () => {
    // Prepare
    vi.stubEnv("POWERTOOLS_LOG_LEVEL", "WARN");
    const logger = createLogger("order-created");

    // Act
    logger.info("routine");
    logger.warn("unusual");

    // Assess
    expect(logLines().map((line) => [line.level, line.message])).toEqual([["WARN", "unusual"]]);
  });
});

describe("errorLogKeys", () => {
  it("keeps the error's text on the line (Powertools drops a key named message)", () => {
    // Prepare
    const logger = createLogger("order-created");

    // Act
    logger.warn("Event could not be applied", errorLogKeys(new RangeError("table is busy")));

    // Assess
    expect(logLines()).toEqual([
      expect.objectContaining({
        level: "WARN",
        message: "Event could not be applied",
        errorClass: "RangeError",
        errorMessage: "table is busy",
      }),
    ]);
  });
});
