/**
 * The demo's accounting on fabricated observations: a settled run is all accounted for, and
 * each way a record can go astray (not relayed, not dead-lettered, a view behind, stats off,
 * a group behind, retries exhausted, the demo's own reader behind) is named as a problem.
 */
import { describe, expect, it } from "vitest";
import { accountForDemo } from "../../../infra/local/demo/demo-accounting";
import {
  deadLetterOf,
  end,
  eventRecord,
  events,
  mappings,
  notJson,
  record,
  settledObservation,
  stats,
  views,
} from "./demo-fixtures";

describe("accountForDemo", () => {
  it("accounts for a settled run: events applied, malformed records dead-lettered, groups at the end", () => {
    // Prepare
    const observation = settledObservation();

    // Act
    const accounting = accountForDemo(observation);

    // Assess
    expect(accounting.problems).toEqual([]);
    expect(accounting.allAccounted).toBe(true);
    expect(accounting.records).toEqual({ total: 7, relayed: 5, malformed: 2, other: 0 });
    expect(accounting.outcomes).toEqual({ applied: 5, deadLettered: 2, unaccounted: 0 });
    expect(accounting.expectedEvents).toBe(5);
    expect(accounting.duplicateEvents).toBe(0);
    expect(accounting.consumers).toEqual([
      {
        functionName: "order-created",
        groupId: "order-created-v1",
        delivered: 3,
        committed: 7,
        lag: 0,
      },
      {
        functionName: "unrouted-events",
        groupId: "unrouted-events-v1",
        delivered: 7,
        committed: 7,
        lag: 0,
      },
    ]);
    expect(accounting.deadLetters).toEqual([
      expect.objectContaining({
        partition: 3,
        offset: 2,
        label: "not JSON",
        kind: "undecodable",
        errorClass: "SyntaxError",
        functionName: "unrouted-events",
      }),
      expect.objectContaining({ partition: 3, offset: 3, label: "tombstone", kind: "undecodable" }),
    ]);
    // One dead letter of a record before the run, one record that is no dead letter.
    expect(accounting.otherDeadLetters).toBe(2);
    expect(accounting.orders.map((order) => [order.orderId, order.matches])).toEqual(
      accounting.orders.map((order) => [order.orderId, true]),
    );
    expect(accounting.orders.length).toBeGreaterThan(0);
    expect(accounting.customers.map((customer) => [customer.customerId, customer.matches])).toEqual(
      [
        ["cus-1", true],
        ["cus-2", true],
      ],
    );
  });

  it("names a malformed record that is not in the dead-letter topic", () => {
    // Prepare
    const observation = settledObservation();
    const withoutIt = { ...observation, deadLetters: observation.deadLetters.slice(0, 1) };

    // Act
    const accounting = accountForDemo(withoutIt);

    // Assess
    expect(accounting.allAccounted).toBe(false);
    expect(accounting.problems).toEqual([
      {
        kind: "unaccounted-record",
        message:
          "order-events 3@2 (not JSON) is neither applied nor in order-events.dlq: the demo wrote it malformed, so it belongs there",
      },
      {
        kind: "unaccounted-record",
        message:
          "order-events 3@3 (tombstone) is neither applied nor in order-events.dlq: the demo wrote it malformed, so it belongs there",
      },
      {
        kind: "not-dead-lettered",
        message: 'malformed record "not JSON" (3@2) is not in order-events.dlq',
      },
      {
        kind: "not-dead-lettered",
        message: 'malformed record "tombstone" (3@3) is not in order-events.dlq',
      },
    ]);
    expect(accounting.outcomes).toEqual({ applied: 5, deadLettered: 0, unaccounted: 2 });
  });

  it("names an event the API implies that never reached the topic", () => {
    // Prepare
    const observation = settledObservation();
    const records = observation.records.filter((r) => r !== events.shipped1);

    // Act
    const accounting = accountForDemo({ ...observation, records });

    // Assess
    expect(accounting.missingEvents).toEqual(["o-1 v2 OrderShipped"]);
    expect(accounting.problems).toEqual([
      { kind: "not-relayed", message: "event o-1 v2 OrderShipped has not reached order-events" },
    ]);
  });

  it("names a record whose order's view is behind, and the view itself", () => {
    // Prepare
    const observation = settledObservation();
    const behind = new Map(views);
    behind.set("o-1", {
      order_id: "o-1",
      status: "CREATED",
      version: 1,
      customer_id: "cus-1",
      total: "10.00",
      currency: "EUR",
    });

    // Act
    const accounting = accountForDemo({ ...observation, views: behind });

    // Assess
    expect(accounting.problems).toEqual([
      {
        kind: "unaccounted-record",
        message:
          "order-events 0@11 (o-1 v2 OrderShipped) is neither applied nor in order-events.dlq: its order's view is at version 1",
      },
      {
        kind: "order-view",
        message: "order o-1: view shows CREATED v1 10.00 EUR, expected SHIPPED v2 10.00 EUR",
      },
    ]);
  });

  it("names a view that lacks the total because only the later event arrived", () => {
    // Prepare
    const observation = settledObservation();
    const partial = new Map(views);
    partial.set("o-1", { order_id: "o-1", status: "SHIPPED", version: 2, customer_id: "cus-1" });

    // Act
    const accounting = accountForDemo({ ...observation, views: partial });

    // Assess
    expect(accounting.problems).toEqual([
      {
        kind: "order-view",
        message: "order o-1: view shows SHIPPED v2 without a total, expected SHIPPED v2 10.00 EUR",
      },
    ]);
  });

  it("names stats that are not exact: an event applied twice, or a customer not there", () => {
    // Prepare
    const observation = settledObservation();
    const twice = new Map(stats);
    twice.set("cus-1", {
      customer_id: "cus-1",
      orders_placed: 3,
      orders_shipped: 1,
      orders_cancelled: 1,
      lifetime_value: { EUR: "20.00" },
    });
    twice.delete("cus-2");

    // Act
    const accounting = accountForDemo({ ...observation, stats: twice });

    // Assess
    expect(accounting.problems).toEqual([
      {
        kind: "customer-stats",
        message:
          "customer cus-1: stats placed 3, shipped 1, cancelled 1, lifetime EUR 20.00; expected placed 2, shipped 1, cancelled 1, lifetime EUR 10.00",
      },
      {
        kind: "customer-stats",
        message:
          "customer cus-2: stats not there yet; expected placed 1, shipped 0, cancelled 0, lifetime EUR 7.50",
      },
    ]);
  });

  it("counts a relay duplicate without making it a problem", () => {
    // Prepare
    const observation = settledObservation();
    const duplicate = eventRecord(0, 12, { type: "OrderShipped", orderId: "o-1", version: 2 });
    const later = new Map(end);
    later.set(0, 13);
    const atEnd = mappings.map((mapping) => ({ ...mapping, committed: later }));

    // Act
    const accounting = accountForDemo({
      ...observation,
      end: later,
      mappings: atEnd,
      records: [...observation.records, duplicate],
    });

    // Assess
    expect(accounting.allAccounted).toBe(true);
    expect(accounting.duplicateEvents).toBe(1);
    expect(accounting.records.relayed).toBe(6);
  });

  it("accounts for someone else's event by its order's view, and counts it as other", () => {
    // Prepare
    const observation = settledObservation();
    const foreign = eventRecord(2, 8, { type: "OrderCreated", orderId: "o-elsewhere", version: 1 });
    const withView = new Map(views);
    withView.set("o-elsewhere", {
      order_id: "o-elsewhere",
      status: "CREATED",
      version: 1,
      customer_id: "c",
    });
    const later = new Map(end);
    later.set(2, 9);
    const atEnd = mappings.map((mapping) => ({ ...mapping, committed: later }));

    // Act
    const accounting = accountForDemo({
      ...observation,
      end: later,
      mappings: atEnd,
      records: [...observation.records, foreign],
      views: withView,
    });

    // Assess
    expect(accounting.allAccounted).toBe(true);
    expect(accounting.records).toEqual({ total: 8, relayed: 5, malformed: 2, other: 1 });
    expect(accounting.outcomes.applied).toBe(6);
  });

  it("names someone else's record that is neither an event nor dead-lettered", () => {
    // Prepare
    const observation = settledObservation();
    const garbage = record(2, 8, Buffer.from("garbage"));
    const later = new Map(end);
    later.set(2, 9);
    const atEnd = mappings.map((mapping) => ({ ...mapping, committed: later }));

    // Act
    const accounting = accountForDemo({
      ...observation,
      end: later,
      mappings: atEnd,
      records: [...observation.records, garbage],
    });

    // Assess
    expect(accounting.problems).toEqual([
      {
        kind: "unaccounted-record",
        message:
          "order-events 2@8 (not an event) is neither applied nor in order-events.dlq: it is not an event",
      },
    ]);
    expect(accounting.records.other).toBe(1);
  });

  it("names a consumer group short of the end of the topic, and one that never committed", () => {
    // Prepare
    const observation = settledObservation();
    const short = new Map(end);
    short.set(0, 11);
    const [created, unrouted] = mappings;
    if (created === undefined || unrouted === undefined)
      throw new Error("fixture has two mappings");
    const behind = [
      { ...created, committed: short },
      { ...unrouted, committed: new Map<number, number>() },
    ];

    // Act
    const accounting = accountForDemo({ ...observation, mappings: behind });

    // Assess
    expect(
      accounting.consumers.map(({ delivered, committed, lag }) => ({ delivered, committed, lag })),
    ).toEqual([
      { delivered: 3, committed: 6, lag: 1 },
      { delivered: 0, committed: 0, lag: 30 },
    ]);
    expect(accounting.problems).toEqual([
      {
        kind: "consumer-lag",
        message:
          "order-created (group order-created-v1) has 1 records of order-events left to consume",
      },
      {
        kind: "consumer-lag",
        message:
          "unrouted-events (group unrouted-events-v1) has 30 records of order-events left to consume",
      },
    ]);
  });

  it("names records that went to the on-failure topic, and records the demo has not read", () => {
    // Prepare
    const observation = settledObservation();

    // Act
    const accounting = accountForDemo({ ...observation, onFailureRecords: 2, unreadRecords: 3 });

    // Assess
    expect(accounting.problems).toEqual([
      { kind: "unread", message: "3 records of order-events are not read by the demo yet" },
      {
        kind: "on-failure",
        message: "2 records exhausted their retries and went to order-events.on-failure",
      },
    ]);
  });

  it("ignores a dead letter of another topic's record at the same partition and offset", () => {
    // Prepare
    const observation = settledObservation();
    const elsewhere = deadLetterOf(
      { ...notJson, topic: "payments" },
      { functionName: "payments", kind: "permanent", error: new Error("other") },
      9,
    );
    const deadLetters = observation.deadLetters.filter((letter) => letter.offset !== 1);

    // Act
    const accounting = accountForDemo({ ...observation, deadLetters: [...deadLetters, elsewhere] });

    // Assess
    expect(accounting.deadLetters.map((letter) => letter.label)).toEqual(["tombstone"]);
    expect(accounting.otherDeadLetters).toBe(3);
    expect(accounting.problems.map((problem) => problem.kind)).toEqual([
      "unaccounted-record",
      "not-dead-lettered",
    ]);
  });
});
