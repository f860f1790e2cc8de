import { describe, expect, it } from "vitest";
import { z } from "zod";
import { defineEventContract, readEvent } from "../../../shared/events";

/** Contracts of one event type, NoteAdded, whose payload `data` describes. */
const noteContracts = <D extends z.ZodType>(data: D) => ({
  NoteAdded: defineEventContract({
    eventType: "NoteAdded",
    aggregateType: "Note",
    version: 1,
    data,
  }),
});

const noteAdded = (data: Record<string, unknown>) => ({
  event_id: "3f2c8a1e-9b4d-4c7e-8f01-2a3b4c5d6e7f",
  event_type: "NoteAdded",
  event_version: 1,
  aggregate_type: "Note",
  aggregate_id: "note-1",
  aggregate_version: 1,
  occurred_at: "2026-11-26T09:00:00.000Z",
  data,
});

describe("readEvent", () => {
  it("reads an event as its contract outputs it, so the event is what the contract gives", () => {
    // Prepare
    const contracts = noteContracts(
      z.object({
        text: z.string().trim(),
        flag: z.stringbool(),
        pinned: z.boolean().default(false),
      }),
    );
    const value = noteAdded({ text: "  hello ", flag: "yes", extra: 1 });

    // Act
    const event = readEvent(contracts, value);

    // Assess
    expect(event.data).toEqual({ text: "hello", flag: true, pinned: false });
  });

  it("keeps unknown fields of a contract that tolerates them, and leaves the value as it was", () => {
    // Prepare
    const contracts = noteContracts(z.looseObject({ text: z.string().min(1) }));
    const value = noteAdded({ text: "hello", extra: 1 });
    const before = structuredClone(value);

    // Act
    const event = readEvent(contracts, value);

    // Assess
    expect(event).toEqual(value);
    expect(value).toEqual(before);
  });
});

describe("defineEventContract", () => {
  it("refuses an empty event or aggregate type, which no envelope could carry", () => {
    // Prepare
    const data = z.looseObject({});

    // Act
    const emptyType = () =>
      defineEventContract({ eventType: "", aggregateType: "Note", version: 1, data });
    const emptyAggregate = () =>
      defineEventContract({ eventType: "NoteAdded", aggregateType: "", version: 1, data });

    // Assess
    expect(emptyType).toThrow("non-empty eventType and aggregateType");
    expect(emptyAggregate).toThrow("non-empty eventType and aggregateType");
  });

  it("refuses a version without an upcaster from each older one", () => {
    // Prepare
    const data = z.looseObject({});

    // Act
    const missing = () =>
      defineEventContract({
        eventType: "NoteAdded",
        aggregateType: "Note",
        version: 3,
        data,
        upcasters: { 1: (payload) => payload },
      });

    // Assess
    expect(missing).toThrow("NoteAdded: no upcaster from version 2");
  });
});
