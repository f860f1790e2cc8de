/**
 * A valid JSON body for a route, built from its request schema (the zod schema the route
 * validates with, read as JSON Schema): every property filled, the smallest array that is
 * allowed, numbers at their minimum. A string takes the value the contract samples give a
 * field of the same name (`currency` -> "EUR") when it fits, else a value made to fit its
 * length, format or pattern. The body is then checked with the route's own schema, so a body
 * this cannot build is an error naming the route, never an invalid sample.
 *
 * @example
 * ```ts
 * requestBodySample(placeOrderRequestSchema, { examples, uuid, at, where: "POST /orders" });
 * // { customer_id: "cus-sample-...", currency: "EUR", items: [{ sku: "SKU-1", quantity: 2, unit_price: "10.25" }] }
 * ```
 */
import * as z from "zod";

type JsonSchema = z.core.JSONSchema.JSONSchema;
type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

/** What the values are drawn from. */
export interface BodySampleSources {
  /** Values by field name, preferred when they fit the field's schema. */
  readonly examples: ReadonlyMap<string, Json>;
  /** A UUID for the field (`format: uuid`). */
  readonly uuid: (field: string) => string;
  /** For `format: date-time`. */
  readonly at: Date;
  /** Names the route in errors. */
  readonly where: string;
}

/** Strings tried for a field with a pattern and no example that fits. */
const PATTERN_CANDIDATES = ["1.00", "sample", "SAMPLE-1", "1", "a", "A"];

/** Thrown when no valid body can be built for a route's schema. */
export class BodySampleError extends Error {
  override readonly name = "BodySampleError";
}

const fitsString = (schema: JsonSchema, value: string): boolean =>
  value.length >= (schema.minLength ?? 0) &&
  value.length <= (schema.maxLength ?? Number.POSITIVE_INFINITY) &&
  (schema.enum === undefined || schema.enum.includes(value)) &&
  (schema.pattern === undefined || new RegExp(schema.pattern, "u").test(value));

const sampleString = (schema: JsonSchema, field: string, sources: BodySampleSources): string => {
  const example = sources.examples.get(field);
  if (typeof example === "string" && fitsString(schema, example)) return example;
  if (schema.format === "uuid") return sources.uuid(field);
  if (schema.format === "date-time") return sources.at.toISOString();
  const first = schema.enum?.find((value): value is string => typeof value === "string");
  if (first !== undefined) return first;
  const made = `sample-${field}`.padEnd(schema.minLength ?? 0, "x").slice(0, schema.maxLength);
  const candidate = [made, ...PATTERN_CANDIDATES].find((value) => fitsString(schema, value));
  if (candidate === undefined)
    throw new BodySampleError(`${sources.where}: cannot make a string for "${field}"`);
  return candidate;
};

const sampleNumber = (schema: JsonSchema, field: string, sources: BodySampleSources): number => {
  const example = sources.examples.get(field);
  const low = typeof schema.exclusiveMinimum === "number" ? schema.exclusiveMinimum + 1 : 1;
  const least = Math.max(schema.minimum ?? low, low);
  if (typeof example === "number" && example >= least && example <= (schema.maximum ?? example))
    return example;
  return least;
};

const sampleValue = (schema: JsonSchema, field: string, sources: BodySampleSources): Json => {
  if (schema.const !== undefined) return schema.const;
  const variant = schema.anyOf?.[0] ?? schema.oneOf?.[0];
  if (variant !== undefined) return sampleValue(variant, field, sources);
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case "object":
      return Object.fromEntries(
        Object.entries(schema.properties ?? {}).map(([name, property]) => [
          name,
          typeof property === "boolean" ? null : sampleValue(property, name, sources),
        ]),
      );
    case "array": {
      const items = Array.isArray(schema.items) ? schema.items[0] : schema.items;
      const item = typeof items === "object" ? items : {};
      return Array.from({ length: Math.max(schema.minItems ?? 1, 1) }, () =>
        sampleValue(item, field, sources),
      );
    }
    case "string":
      return sampleString(schema, field, sources);
    case "number":
    case "integer":
      return sampleNumber(schema, field, sources);
    case "boolean":
      return true;
    default:
      return null;
  }
};

/** A body valid against `schema`; throws {@link BodySampleError} when none can be built. */
export const requestBodySample = (schema: z.core.$ZodType, sources: BodySampleSources): Json => {
  const jsonSchema = z.toJSONSchema(schema, { io: "input", unrepresentable: "any" });
  const body = sampleValue(jsonSchema, "body", sources);
  const checked = z.safeParse(schema, body);
  if (!checked.success) {
    const issues = checked.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
    throw new BodySampleError(
      `${sources.where}: the sample body is invalid (${issues.join("; ")})`,
    );
  }
  return body;
};

/** The first primitive value of every field name in the documents, depth first. */
export const fieldExamples = (documents: readonly unknown[]): Map<string, Json> => {
  const examples = new Map<string, Json>();
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(visit);
    else if (typeof value === "object" && value !== null) {
      for (const [name, field] of Object.entries(value)) {
        const primitive = typeof field === "string" || typeof field === "number";
        if (primitive && !examples.has(name)) examples.set(name, field);
        visit(field);
      }
    }
  };
  documents.forEach(visit);
  return examples;
};
