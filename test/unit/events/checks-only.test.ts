import { describe, expect, it } from "vitest";
import { z } from "zod";
import {
  defineEventContract,
  isChecksOnly,
  moneySchema,
  readEvent,
  textSchema,
} from "../../../shared/events";

describe("isChecksOnly", () => {
  it.each([
    ["a string with bounds and a format", z.string().min(1).max(9).regex(/^a/)],
    [
      "a UUID, an e-mail address, a timestamp, an integer",
      z.looseObject({ a: z.uuid(), b: z.email(), c: z.iso.datetime(), d: z.int().min(1) }),
    ],
    ["a refined string", textSchema(1, 64)],
    ["money", moneySchema],
    ["literals and enums", z.union([z.literal("A"), z.enum(["B", "C"])])],
    ["an object that keeps unknown keys", z.looseObject({ a: z.string(), b: z.number() })],
    ["an object that refuses unknown keys", z.strictObject({ a: z.string() })],
    [
      "optional and nullable values",
      z.looseObject({ a: z.string().optional(), b: z.number().nullable() }),
    ],
    ["arrays", z.array(z.array(z.boolean()))],
    ["a refined object", z.looseObject({ a: z.number() }).refine((value) => value.a > 0)],
    ["unknown", z.unknown()],
  ])("only checks: %s", (_name, schema) => {
    // Act & Assess
    expect(isChecksOnly(schema)).toBe(true);
  });

  it.each([
    ["a transform", z.string().transform((text) => text.length)],
    ["a pipe into a transform", z.string().pipe(z.transform((text) => text.toUpperCase()))],
    ["a preprocess", z.preprocess((value) => String(value), z.string())],
    ["a default", z.looseObject({ a: z.string().default("x") })],
    ["a catch", z.string().catch("x")],
    ["coercion", z.coerce.number()],
    ["an overwriting check", z.string().trim()],
    ["a superRefine", z.string().superRefine(() => undefined)],
    ["a bare check", z.string().check(() => undefined)],
    ["an object that strips unknown keys", z.object({ a: z.string() })],
    ["a stripping object deep inside", z.looseObject({ a: z.array(z.object({ b: z.string() })) })],
    ["a date", z.date()],
    ["a URL, which zod trims and normalizes", z.url()],
    ["a string checked as a URL", z.string().url()],
    ["a codec", z.stringbool()],
    ["a record, whose numeric keys zod rewrites", z.record(z.number(), z.string())],
    ["a tuple", z.tuple([z.string()])],
    ["a readonly value, which zod freezes", z.looseObject({ a: z.string() }).readonly()],
    ["a pipe", z.string().pipe(z.string().min(1))],
    [
      "an intersection",
      z.intersection(z.looseObject({ a: z.string() }), z.looseObject({ b: z.string() })),
    ],
  ])("does more than check: %s", (_name, schema) => {
    // Act & Assess
    expect(isChecksOnly(schema)).toBe(false);
  });
});

describe("readEvent", () => {
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

  it("reads an event of a contract that only checks as it came", () => {
    // Prepare
    const contracts = noteContracts(z.looseObject({ text: z.string().min(1) }));
    const value = noteAdded({ text: "hello", extra: 1 });

    // Act
    const event = readEvent(contracts, value);

    // Assess
    expect(contracts.NoteAdded.checksOnly).toBe(true);
    expect(event).toBe(value);
  });

  it("parses an event of a contract that transforms, so the event is what the contract gives", () => {
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
    expect(contracts.NoteAdded.checksOnly).toBe(false);
    expect(event.data).toEqual({ text: "hello", flag: true, pinned: false });
  });
});
