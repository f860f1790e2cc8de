/**
 * Lambda event filtering as the local mappings apply it: the operators on their own, the
 * Kafka value document (JSON, plain string, tombstone, not UTF-8), the validator, and the
 * wiring's real filters against the MSK fixture and DynamoDB stream records of the outbox.
 */
import { marshall } from "@aws-sdk/util-dynamodb";
import type { DynamoDBRecord } from "aws-lambda";
import { describe, expect, it } from "vitest";
import {
  kafkaFilterDocument,
  matchesAnyFilter,
} from "../../../infra/local/runtime/filter-patterns";
import {
  InvalidFilterPatternsError,
  MAX_FILTER_PATTERNS,
  validateFilterPatterns,
} from "../../../infra/wiring/filter-pattern-rules";
import { systemWiring } from "../../../infra/wiring/system-wiring";
import type { FilterPattern, KafkaTrigger, StreamTrigger } from "../../../infra/wiring/types";
import type { LambdaKafkaEvent } from "../../../shared/kafka/lambda-kafka-event";
import { toOutboxItem } from "../../../shared/outbox/outbox-item";
import mskEvent from "../../fixtures/msk-event.json";

const matches = (pattern: FilterPattern, document: unknown): boolean =>
  matchesAnyFilter([pattern], document);

const kafkaValue = (json: string): unknown => kafkaFilterDocument(Buffer.from(json, "utf8"));

describe("matchesAnyFilter: patterns and fields", () => {
  it("lets every document through when there is no pattern", () => {
    // Prepare
    const documents = [{}, { value: "anything" }, null, "text"];

    // Act
    const results = documents.map((document) => matchesAnyFilter([], document));

    // Assess
    expect(results).toEqual([true, true, true, true]);
  });

  it("ORs patterns, ANDs the fields of one pattern, and descends into objects", () => {
    // Prepare
    const patterns: FilterPattern[] = [{ a: ["x"], b: { c: [1] } }, { d: [true] }];

    // Act
    const results = [
      matchesAnyFilter(patterns, { a: "x", b: { c: 1 } }),
      matchesAnyFilter(patterns, { a: "x", b: { c: 2 } }),
      matchesAnyFilter(patterns, { a: "y", b: { c: 1 }, d: true }),
      matchesAnyFilter(patterns, { a: "x", b: "c" }),
      matchesAnyFilter(patterns, { a: "x" }),
    ];

    // Assess
    expect(results).toEqual([true, false, true, false, false]);
  });

  it("ORs the matchers of one field and ignores fields the pattern does not name", () => {
    // Prepare
    const pattern: FilterPattern = { kind: ["Credit", "Debit"] };

    // Act
    const results = ["Credit", "Debit", "Cash"].map((kind) =>
      matches(pattern, { kind, extra: { deep: [1, 2] } }),
    );

    // Assess
    expect(results).toEqual([true, true, false]);
  });
});

describe("matchesAnyFilter: exact values", () => {
  it("matches strings exactly, without case folding, and an empty string only itself", () => {
    // Act
    const results = [
      matches({ name: ["Alice"] }, { name: "Alice" }),
      matches({ name: ["Alice"] }, { name: "alice" }),
      matches({ name: [""] }, { name: "" }),
      matches({ name: [""] }, { name: null }),
      matches({ name: ["5"] }, { name: 5 }),
    ];

    // Assess
    expect(results).toEqual([true, false, true, false, false]);
  });

  it("matches null only against an explicit null, never a missing field", () => {
    // Act
    const results = [
      matches({ user: [null] }, { user: null }),
      matches({ user: [null] }, {}),
      matches({ user: [null] }, { user: "null" }),
    ];

    // Assess
    expect(results).toEqual([true, false, false]);
  });

  it("matches booleans by type and value", () => {
    // Act
    const results = [
      matches({ flag: [true] }, { flag: true }),
      matches({ flag: [true] }, { flag: "true" }),
      matches({ flag: [false] }, { flag: 0 }),
    ];

    // Assess
    expect(results).toEqual([true, false, false]);
  });

  it("compares exact numbers by their JSON text, as AWS documents (300 is not 300.0)", () => {
    // Act
    const results = [
      matches({ value: { price: [300] } }, kafkaValue('{"price": 300}')),
      matches({ value: { price: [300] } }, kafkaValue('{"price": 300.0}')),
      matches({ value: { price: [300] } }, kafkaValue('{"price": 3.0e2}')),
      matches({ price: [300] }, { price: 300 }),
    ];

    // Assess
    expect(results).toEqual([true, false, false, true]);
  });
});

describe("matchesAnyFilter: operators", () => {
  it("matches prefix and suffix on strings only", () => {
    // Act
    const results = [
      matches({ region: [{ prefix: "us-" }] }, { region: "us-east-1" }),
      matches({ region: [{ prefix: "us-" }] }, { region: "eu-west-1" }),
      matches({ file: [{ suffix: ".png" }] }, { file: "a/b.png" }),
      matches({ file: [{ suffix: ".png" }] }, { file: "a/b.jpg" }),
      matches({ code: [{ prefix: "1" }] }, { code: 123 }),
    ];

    // Assess
    expect(results).toEqual([true, false, true, false, false]);
  });

  it("treats exists as a question about leaves: null exists, an object or a missing field does not", () => {
    // Prepare
    const exists: FilterPattern = { detail: { state: [{ exists: true }] } };
    const missing: FilterPattern = { detail: { state: [{ exists: false }] } };
    const documents = [
      { detail: { state: "running" } },
      { detail: { state: null } },
      { detail: { state: ["a", "b"] } },
      { detail: {} },
      { detail: { state: { nested: 1 } } },
      { detail: { state: [] } },
      {},
    ];

    // Act
    const existing = documents.map((document) => matches(exists, document));
    const absent = documents.map((document) => matches(missing, document));

    // Assess
    expect(existing).toEqual([true, true, true, false, false, false, false]);
    expect(absent).toEqual([false, false, false, true, true, true, true]);
  });

  it("matches anything-but against present values other than the listed ones", () => {
    // Prepare
    const single: FilterPattern = { state: [{ "anything-but": "stopped" }] };
    const list: FilterPattern = { state: [{ "anything-but": ["stopped", "overloaded"] }] };
    const numbers: FilterPattern = { limit: [{ "anything-but": [100, 200] }] };

    // Act
    const results = [
      matches(single, { state: "running" }),
      matches(single, { state: "stopped" }),
      matches(single, {}),
      matches(list, { state: "overloaded" }),
      matches(list, { state: "idle" }),
      matches({ value: numbers }, kafkaValue('{"limit": 100.0}')),
      matches({ value: numbers }, kafkaValue('{"limit": 150}')),
    ];

    // Assess
    expect(results).toEqual([true, false, false, false, true, false, true]);
  });

  it("compares numeric ranges by value, on JSON numbers only", () => {
    // Prepare
    const range: FilterPattern = { value: { count: [{ numeric: [">", 0, "<=", 5] }] } };
    const equals: FilterPattern = { value: { limit: [{ numeric: ["=", 301.8] }] } };

    // Act
    const inRange = ["0", "0.5", "5", "5.0", "5.01", '"3"'].map((count) =>
      matches(range, kafkaValue(`{"count": ${count}}`)),
    );
    const equal = ["301.8", "3.018e2", "301.80", "302"].map((limit) =>
      matches(equals, kafkaValue(`{"limit": ${limit}}`)),
    );
    const openEnded = [
      matches({ n: [{ numeric: ["<", 10] }] }, { n: 9.99 }),
      matches({ n: [{ numeric: [">=", 10] }] }, { n: 10 }),
      matches({ n: [{ numeric: [">=", 10] }] }, {}),
    ];

    // Assess
    expect(inRange).toEqual([false, true, true, true, false, false]);
    expect(equal).toEqual([true, true, true, false]);
    expect(openEnded).toEqual([true, true, false]);
  });

  it("matches a document array when any element matches", () => {
    // Act
    const results = [
      matches({ tags: ["b"] }, { tags: ["a", "b"] }),
      matches({ tags: ["c"] }, { tags: ["a", ["b", "c"]] }),
      matches({ tags: [{ "anything-but": "a" }] }, { tags: ["a", "b"] }),
      matches({ tags: [{ "anything-but": "a" }] }, { tags: ["a"] }),
    ];

    // Assess
    expect(results).toEqual([true, true, true, false]);
  });

  it("tries objects in an array one element at a time", () => {
    // Prepare
    const employees = {
      employees: [
        { firstName: "John", lastName: "Doe" },
        { firstName: "Anna", lastName: "Smith" },
        { firstName: "Peter", lastName: "Jones" },
      ],
    };

    // Act
    const results = [
      matches({ employees: { firstName: ["Anna"] } }, employees),
      matches({ employees: { firstName: ["Anna"], lastName: ["Smith"] } }, employees),
      matches({ employees: { firstName: ["Anna"], lastName: ["Jones"] } }, employees),
    ];

    // Assess
    expect(results).toEqual([true, true, false]);
  });
});

describe("kafkaFilterDocument", () => {
  it("exposes a JSON value under `value`", () => {
    // Act
    const document = kafkaValue('{"event_type":"OrderCreated","data":{"total":"10.00"}}');

    // Assess
    expect(matches({ value: { event_type: ["OrderCreated"] } }, document)).toBe(true);
    expect(matches({ value: { data: { total: ["10.00"] } } }, document)).toBe(true);
  });

  it("exposes a UTF-8 value that is not JSON as a plain string, as Lambda filters plain strings", () => {
    // Prepare
    const plain = kafkaValue("error");

    // Act
    const results = [
      matches({ value: [{ "anything-but": ["error"] }] }, plain),
      matches({ value: [{ "anything-but": ["error"] }] }, kafkaValue("fine")),
      matches({ value: [{ prefix: "err" }] }, plain),
      matches({ value: { event_type: [{ exists: true }] } }, plain),
    ];

    // Assess
    expect(results).toEqual([false, true, true, false]);
  });

  it("gives a tombstone and a value that is not UTF-8 no `value` at all", () => {
    // Prepare
    const tombstone = kafkaFilterDocument(null);
    const notUtf8 = kafkaFilterDocument(Buffer.from([0xc3, 0x28, 0xff, 0xfe]));

    // Act
    const results = [tombstone, notUtf8].map((document) => [
      matches({ value: [{ exists: true }] }, document),
      matches({ value: [{ exists: false }] }, document),
      matches({ value: { event_type: [{ "anything-but": "x" }] } }, document),
    ]);

    // Assess
    expect(tombstone).toEqual({});
    expect(notUtf8).toEqual({});
    expect(results).toEqual([
      [false, true, false],
      [false, true, false],
    ]);
  });

  it("does not match a pattern about the value's fields against a JSON value of another shape", () => {
    // Act
    const results = ['"OrderCreated"', "[1,2]", "42", "null", "{}"].map((json) =>
      matches({ value: { event_type: ["OrderCreated"] } }, kafkaValue(json)),
    );

    // Assess
    expect(results).toEqual([false, false, false, false, false]);
  });
});

describe("the wiring's filters", () => {
  const kafkaTriggers = systemWiring.functions.flatMap((fn) =>
    fn.trigger?.kind === "kafka" ? [{ name: fn.name, trigger: fn.trigger as KafkaTrigger }] : [],
  );
  const fixture = mskEvent as LambdaKafkaEvent;
  const fixtureRecords = Object.values(fixture.records).flat();

  /** The functions whose trigger takes the record at this offset of the MSK fixture. */
  const takenBy = (partition: number, offset: number): string[] => {
    const record = fixtureRecords.find((r) => r.partition === partition && r.offset === offset);
    if (record === undefined) throw new Error(`no fixture record ${partition}/${offset}`);
    const value = record.value == null ? null : Buffer.from(record.value, "base64");
    const document = kafkaFilterDocument(value);
    return kafkaTriggers
      .filter(({ trigger }) => matchesAnyFilter(trigger.filters, document))
      .map(({ name }) => name)
      .sort();
  };

  it("passes every declared trigger's patterns through the validator", () => {
    // Prepare
    const declared = systemWiring.functions.flatMap((fn) =>
      fn.trigger === undefined ? [] : [fn.trigger.filters],
    );

    // Act
    const validate = () => {
      for (const filters of declared) validateFilterPatterns(filters);
    };

    // Assess
    expect(declared.length).toBeGreaterThan(0);
    expect(validate).not.toThrow();
  });

  it("routes each event type of the MSK fixture to its consumer, and every record to the unrouted path", () => {
    // Act
    const routed = {
      created: takenBy(0, 15),
      shipped: takenBy(0, 16),
      cancelled: takenBy(1, 3),
    };

    // Assess
    expect(routed).toEqual({
      created: ["order-created", "unrouted-events"],
      shipped: ["order-shipped", "unrouted-events"],
      cancelled: ["order-cancelled", "unrouted-events"],
    });
  });

  it("gives poison records (tombstone, not UTF-8, broken JSON, unknown type) to no typed consumer", () => {
    // Act
    const poison = [takenBy(0, 17), takenBy(1, 4), takenBy(1, 5), takenBy(1, 6)];

    // Assess
    expect(poison).toEqual([
      ["unrouted-events"],
      ["unrouted-events"],
      ["unrouted-events"],
      ["unrouted-events"],
    ]);
  });

  it("gives a JSON value without event_type to no typed consumer", () => {
    // Prepare
    const document = kafkaValue('{"event_id":"e-1","aggregate_id":"ord-1"}');

    // Act
    const taken = kafkaTriggers.filter(({ trigger }) =>
      matchesAnyFilter(trigger.filters, document),
    );

    // Assess
    expect(taken.map(({ name }) => name)).toEqual(["unrouted-events"]);
  });

  describe("the relay's stream filter", () => {
    const relay = systemWiring.functions.find((fn) => fn.name === "outbox-relay");
    const filters = (relay?.trigger as StreamTrigger | undefined)?.filters ?? [];
    const now = new Date("2026-11-26T09:00:00.000Z");
    const outboxItem = toOutboxItem(
      {
        event_id: "6f1c1a52-5d55-4d8c-9a43-0c7c0f1c2a01",
        event_type: "OrderCreated",
        aggregate_id: "ord-1",
        aggregate_version: 1,
      },
      {
        topic: "order-events",
        partitionKey: "ORDER#ord-1",
        headers: { event_type: "OrderCreated" },
        now,
        ttlSeconds: 7 * 86_400,
      },
    );
    const stateItem = { pk: "ORDER#ord-1", sk: "STATE", item_type: "ORDER", version: 1 };

    /** A record as the local stream poller hands it to the relay (Lambda's shape). */
    const streamRecord = (
      eventName: "INSERT" | "MODIFY" | "REMOVE",
      item: { pk: string; sk: string },
      sequenceNumber: string,
    ): DynamoDBRecord => ({
      eventID: `event-${sequenceNumber}`,
      eventName,
      eventVersion: "1.1",
      eventSource: "aws:dynamodb",
      awsRegion: "us-east-1",
      eventSourceARN:
        "arn:aws:dynamodb:us-east-1:123456789012:table/orders/stream/2026-11-26T09:00:00.000",
      dynamodb: {
        ApproximateCreationDateTime: now.getTime() / 1000,
        Keys: marshall({ pk: item.pk, sk: item.sk }) as NonNullable<
          DynamoDBRecord["dynamodb"]
        >["Keys"],
        ...(eventName === "REMOVE"
          ? {}
          : {
              NewImage: marshall(item) as NonNullable<DynamoDBRecord["dynamodb"]>["NewImage"],
            }),
        SequenceNumber: sequenceNumber,
        SizeBytes: 812,
        StreamViewType: "NEW_IMAGE",
      },
    });

    it("takes outbox inserts only", () => {
      // Prepare
      const records = [
        streamRecord("INSERT", outboxItem, "100"),
        streamRecord("INSERT", stateItem, "101"),
        streamRecord("MODIFY", stateItem, "102"),
        streamRecord("MODIFY", outboxItem, "103"),
        streamRecord("REMOVE", outboxItem, "104"),
      ];

      // Act
      const taken = records.map((record) => matchesAnyFilter(filters, record));

      // Assess
      expect(taken).toEqual([true, false, false, false, false]);
    });
  });
});

describe("validateFilterPatterns", () => {
  it("accepts every operator this emulator implements", () => {
    // Prepare
    const patterns: FilterPattern[] = [
      { a: ["x", 1, true, null, { prefix: "p" }, { suffix: "s" }, { exists: false }] },
      { b: [{ "anything-but": "x" }, { "anything-but": [1, 2] }, { "anything-but": 3 }] },
      { c: { d: [{ numeric: [">", 0, "<=", 5] }, { numeric: ["=", 3] }, { numeric: ["<", 1] }] } },
    ];

    // Act
    const validate = () => validateFilterPatterns(patterns);

    // Assess
    expect(validate).not.toThrow();
  });

  it(`rejects more than ${MAX_FILTER_PATTERNS} patterns per trigger`, () => {
    // Prepare
    const patterns = Array.from({ length: 6 }, (_, index) => ({ n: [index] }));

    // Act
    const validate = () => validateFilterPatterns(patterns);

    // Assess
    expect(validate).toThrow(InvalidFilterPatternsError);
    expect(validate).toThrow(/6 patterns; Lambda takes at most 5 per trigger/);
  });

  it.each([
    [
      { value: { event_type: [{ "equals-ignore-case": "ordercreated" }] } },
      /patterns\[0\]\.value\.event_type\[0\]: unknown matcher "equals-ignore-case"; supported: /,
    ],
    [
      { value: { state: [{ "anything-but": { prefix: "init" } }] } },
      /patterns\[0\]\.value\.state\[0\]: anything-but takes a string, a number or a list/,
    ],
    [
      { value: { mixed: [{ "anything-but": ["a", 1] }] } },
      /patterns\[0\]\.value\.mixed\[0\]: .*all strings or all numbers/,
    ],
    [{ value: { n: [{ numeric: [">", 5, ">", 9] }] } }, /lower bound then an upper bound/],
    [{ value: { n: [{ numeric: ["<", 5, ">", 1] }] } }, /numeric "<" takes one comparison only/],
    [{ value: { n: [{ numeric: [">", 5, "<", 1] }] } }, /lower bound must be below its upper/],
    [{ value: { n: [{ numeric: ["~", 5] }] } }, /operator "~" is not one of =, <, <=, >, >=/],
    [{ value: { n: [{ numeric: [">", "5"] }] } }, /needs a finite number after its operator/],
    [{ value: { flag: [{ exists: "yes" }] } }, /\.value\.flag\[0\]: exists takes true or false/],
    [{ value: { two: [{ prefix: "a", suffix: "b" }] } }, /\.value\.two\[0\]: .*exactly one key/],
    [{ value: { nested: [["a"]] } }, /\.value\.nested\[0\]: \["a"\] is not a matcher/],
    [{ value: { list: [] } }, /patterns\[0\]\.value\.list: must hold at least one matcher/],
    [{ value: { tag: "OrderCreated" } }, /\.value\.tag: must be an array of matchers or a nested/],
    [{ value: {} }, /patterns\[0\]\.value: has no fields/],
  ])("rejects %j, saying what and where", (pattern, message) => {
    // Act
    const validate = () => validateFilterPatterns([pattern]);

    // Assess
    expect(validate).toThrow(InvalidFilterPatternsError);
    expect(validate).toThrow(message);
  });

  it("reports every issue at once", () => {
    // Prepare
    const patterns: unknown[] = [{ a: [{ wildcard: "*" }] }, { b: [] }];

    // Act
    let error: unknown;
    try {
      validateFilterPatterns(patterns);
    } catch (caught) {
      error = caught;
    }

    // Assess
    expect((error as InvalidFilterPatternsError).issues).toEqual([
      expect.stringMatching(/^patterns\[0\]\.a\[0\]: unknown matcher "wildcard"/),
      "patterns[1].b: must hold at least one matcher",
    ]);
  });

  it("rejects a pattern longer than Lambda's 4096 characters", () => {
    // Prepare
    const pattern = { value: { sku: Array.from({ length: 500 }, (_, i) => `SKU-${i}`) } };

    // Act
    const validate = () => validateFilterPatterns([pattern]);

    // Assess
    expect(validate).toThrow(/characters of JSON; Lambda takes at most 4096/);
  });
});
