/**
 * With no exporter configured, the per-record span helpers record no spans (nothing could
 * see them) but still carry the trace context through: consumers log the producer's trace
 * id, and the relay passes the stored trace context on unchanged.
 */
import { beforeAll, describe, expect, it, vi } from "vitest";
import { ownedEventReader } from "../../../shared/consumer";
import { TransientError } from "../../../shared/errors";
import {
  activeTraceId,
  contextFromHeaders,
  setupTracing,
  tracesExported,
  withProducerSpans,
  withRecordSpan,
} from "../../../shared/observability";
import { orderEventContracts } from "../../../shared/orders/order-events";
import { consumerSettings, delay, silentLogger } from "../consumer/fixtures";
import {
  consumeOrderRecords,
  kafkaRecord,
  REMOTE_TRACE_ID,
  REMOTE_TRACEPARENT,
  recordHeaders,
  tracedOrderRecords,
} from "./fixtures";

class TransientFailure extends TransientError {
  override readonly name = "TransientFailure";
}

beforeAll(() => {
  delete process.env.OTEL_EXPORTER_OTLP_ENDPOINT;
  delete process.env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT;
  setupTracing({ serviceName: "spans-not-exported-test" });
});

describe("span helpers when traces are not exported", () => {
  it("know that nothing is exported", () => {
    // Act & Assess
    expect(tracesExported()).toBe(false);
  });

  it("run a record's work in the producer's trace", async () => {
    // Prepare
    const record = kafkaRecord(recordHeaders({ traceparent: REMOTE_TRACEPARENT }));

    // Act
    const traceId = await withRecordSpan(record, "process", async () => activeTraceId());

    // Assess
    expect(traceId).toBe(REMOTE_TRACE_ID);
  });

  it("pass each record's stored trace context on unchanged", async () => {
    // Prepare
    const other = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

    // Act
    const headers = await withProducerSpans(
      [
        { topic: "t", parent: contextFromHeaders({ traceparent: REMOTE_TRACEPARENT }) },
        { topic: "t", parent: contextFromHeaders({ traceparent: other }) },
        { topic: "t", parent: contextFromHeaders({}) },
      ],
      async (traceHeaders) => traceHeaders,
    );

    // Assess
    expect(headers).toEqual([{ traceparent: REMOTE_TRACEPARENT }, { traceparent: other }, {}]);
  });

  it("give each record of a concurrent batch its own trace, in work it awaits and work it leaves running, and leave the caller's alone", async () => {
    // Prepare: six records of three keys, each from its own trace; each effect notes the
    // trace it sees at once, after an await, and in a timer it does not wait for, which
    // fires after later records of its key have started
    const traceIdOf = (n: number) => `${n}`.padStart(32, "a");
    const records = tracedOrderRecords(6, 3, traceIdOf);
    const seen: { offset: number; when: string; traceId: string | undefined }[] = [];
    const detached: Promise<void>[] = [];
    const note = (offset: number, when: string): void => {
      seen.push({ offset, when, traceId: activeTraceId() });
    };

    // Act
    await consumeOrderRecords(
      records,
      async (_event, { record }) => {
        note(record.offset, "at once");
        detached.push(delay(15).then(() => note(record.offset, "left running")));
        await delay(5);
        note(record.offset, "after an await");
        return "applied";
      },
      { settings: consumerSettings({ concurrency: 3 }) },
    );
    const callerTraceId = activeTraceId();
    await Promise.all(detached);

    // Assess
    expect(seen).toHaveLength(18);
    expect(seen).toEqual(
      seen.map(({ offset, when }) => ({ offset, when, traceId: traceIdOf(offset) })),
    );
    expect(callerTraceId).toBeUndefined();
  });

  it("read each record of a batch in its own trace, whichever record its worker ran before", async () => {
    // Prepare: one worker, and records whose keys alternate, so each read follows another
    // record's work in the same worker
    const traceIdOf = (n: number) => `${n}`.padStart(32, "b");
    const records = tracedOrderRecords(4, 2, traceIdOf);
    const read = ownedEventReader(orderEventContracts, ["OrderCreated"]);
    const readIn: (string | undefined)[] = [];

    // Act
    await consumeOrderRecords(records, async () => "applied", {
      read: (record) => {
        readIn.push(`${record.offset} in ${activeTraceId()}`);
        return read(record);
      },
      settings: consumerSettings({ concurrency: 1 }),
    });

    // Assess: one key's records, then the other's, each read in its own trace
    expect(readIn).toEqual([0, 2, 1, 3].map((offset) => `${offset} in ${traceIdOf(offset)}`));
  });

  it("give a consumer's effect, and the log of its failure, the record's trace", async () => {
    // Prepare: a consumer whose effect notes the active trace id, then fails
    const records = tracedOrderRecords(1, 1, () => REMOTE_TRACE_ID);
    const logger = silentLogger();
    const warnings = vi.spyOn(logger, "warn");
    const seen: (string | undefined)[] = [];

    // Act
    await consumeOrderRecords(
      records,
      async () => {
        seen.push(activeTraceId());
        throw new TransientFailure("table away");
      },
      {
        settings: consumerSettings({ retry: { attempts: 1, baseDelayMs: 1, maxDelayMs: 1 } }),
        logger,
      },
    );

    // Assess
    expect(seen).toEqual([REMOTE_TRACE_ID]);
    expect(warnings).toHaveBeenCalledWith(
      expect.stringContaining("could not be applied"),
      expect.objectContaining({ trace_id: REMOTE_TRACE_ID }),
    );
  });
});
