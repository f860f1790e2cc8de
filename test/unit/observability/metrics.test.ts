import middy from "@middy/core";
import { afterEach, beforeEach, describe, expect, it, type MockInstance, vi } from "vitest";
import { ConfigurationError } from "../../../shared/config";
import {
  addBatchSize,
  addProcessingLatency,
  addRecordsDeadLettered,
  addRecordsFailed,
  addRecordsProcessed,
  createMetrics,
  logMetrics,
  METRIC,
} from "../../../shared/observability";
import { lambdaContext } from "../../support/lambda-context";
import { jsonLines } from "./fixtures";

interface EmfLine {
  readonly _aws: {
    readonly CloudWatchMetrics: readonly {
      readonly Namespace: string;
      readonly Dimensions: readonly (readonly string[])[];
      readonly Metrics: readonly { readonly Name: string; readonly Unit: string }[];
    }[];
  };
  readonly [key: string]: unknown;
}

let stdout: MockInstance<typeof process.stdout.write>;

beforeEach(() => {
  // POWERTOOLS_DEV would disable metrics; they go to process.stdout otherwise.
  vi.stubEnv("POWERTOOLS_DEV", undefined);
  vi.stubEnv("POWERTOOLS_METRICS_DISABLED", undefined);
  stdout = vi.spyOn(process.stdout, "write").mockImplementation(() => true);
});

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

const emfLines = (): EmfLine[] =>
  jsonLines(stdout.mock.calls).filter((line): line is EmfLine => "_aws" in line);

describe("createMetrics with logMetrics", () => {
  it("publishes the batch's metrics as one EMF line when the invocation ends", async () => {
    // Prepare
    const metrics = createMetrics("order-created", {});
    const handler = middy(async () => {
      addBatchSize(metrics, 5);
      addRecordsProcessed(metrics, 3);
      addRecordsFailed(metrics, 1);
      addRecordsDeadLettered(metrics, 1);
      addProcessingLatency(metrics, 42);
    }).use(logMetrics(metrics));

    // Act
    await handler({}, lambdaContext("order-created"));

    // Assess
    const lines = emfLines();
    expect(lines).toHaveLength(1);
    const [line] = lines;
    const [directive] = line?._aws.CloudWatchMetrics ?? [];
    expect(directive?.Namespace).toBe("OrderEvents");
    expect(directive?.Dimensions).toEqual([["service"]]);
    expect(directive?.Metrics).toEqual(
      expect.arrayContaining([
        { Name: METRIC.batchSize, Unit: "Count" },
        { Name: METRIC.recordsProcessed, Unit: "Count" },
        { Name: METRIC.recordsFailed, Unit: "Count" },
        { Name: METRIC.recordsDeadLettered, Unit: "Count" },
        { Name: METRIC.processingLatency, Unit: "Milliseconds" },
      ]),
    );
    expect(line).toMatchObject({
      service: "order-created",
      BatchSize: 5,
      RecordsProcessed: 3,
      RecordsFailed: 1,
      RecordsDeadLettered: 1,
      ProcessingLatency: 42,
    });
  });

  it("takes the namespace from POWERTOOLS_METRICS_NAMESPACE", () => {
    // Prepare
    const metrics = createMetrics("order-shipped", {
      POWERTOOLS_METRICS_NAMESPACE: "Staging/Orders",
    });
    addRecordsProcessed(metrics, 1);

    // Act
    metrics.publishStoredMetrics();

    // Assess
    expect(emfLines()[0]?._aws.CloudWatchMetrics[0]?.Namespace).toBe("Staging/Orders");
  });

  it("fails fast naming an empty namespace", () => {
    // Act
    const create = () => createMetrics("order-shipped", { POWERTOOLS_METRICS_NAMESPACE: "" });

    // Assess
    expect(create).toThrow(ConfigurationError);
    expect(create).toThrow(/POWERTOOLS_METRICS_NAMESPACE/);
  });
});
