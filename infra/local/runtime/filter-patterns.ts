/**
 * Lambda event filtering, emulated purely for the local event source mappings (see
 * `docs/architecture.md`, section "Lambda event sources"). Lambda takes EventBridge's pattern
 * rules:
 *
 * - patterns are OR-ed, and a mapping without patterns delivers every record;
 * - within a pattern every field must match (AND); an object descends into the document;
 * - a field's array of matchers is OR-ed: an exact string, number, boolean or `null` (an
 *   explicit null, never a missing field), `{prefix}`, `{suffix}`, `{exists}`,
 *   `{"anything-but": value | [values]}`, `{numeric: [op, n]}` or `[">"|">=", n, "<"|"<=", m]`;
 * - a document array matches when any element matches, and objects in an array are tried one
 *   element at a time, so two fields never match across different elements;
 * - `exists` looks at leaves only: `exists: true` needs a string, number, boolean or null
 *   there; `exists: false` holds for a missing field, and also for an object or empty array;
 * - exact numbers compare by their JSON text (AWS: 300, 300.0 and 3.0e2 are not equal), while
 *   `numeric` and a numeric `anything-but` compare values.
 *
 * A Kafka mapping matches its patterns against `{ value }`: the record's value as JSON, or as
 * a plain string when it is UTF-8 but not JSON. A tombstone or a value that is not UTF-8 has
 * no `value`, so a pattern about `value` cannot match it. A stream mapping matches against
 * the Lambda stream record itself (`eventName`, `dynamodb.Keys`, `dynamodb.NewImage`, ...).
 * Which patterns Lambda accepts at all is checked by `infra/wiring/filter-pattern-rules.ts`.
 *
 * @example
 * ```ts
 * matchesAnyFilter(trigger.filters, kafkaFilterDocument(message.value)); // Kafka record
 * matchesAnyFilter(trigger.filters, lambdaStreamRecord); // DynamoDB stream record
 * ```
 */
import type { FilterPattern, FilterValue } from "../../wiring/types";

// --- the document ---------------------------------------------------------------------------

/** A number read from JSON text, kept with its text: exact matching compares the text. */
class JsonNumber {
  constructor(
    readonly value: number,
    readonly text: string,
  ) {}
}

/** JSON.parse's reviver with the source text of primitives (Node 21+). */
const keepNumberText = (_key: string, value: unknown, context?: { source?: string }): unknown =>
  typeof value === "number" ? new JsonNumber(value, context?.source ?? String(value)) : value;

const strictUtf8 = new TextDecoder("utf-8", { fatal: true });

/** What a Kafka mapping's patterns see of a record: `{ value }`, or `{}` when it has none. */
export const kafkaFilterDocument = (valueBytes: Buffer | null): unknown => {
  if (valueBytes === null) return {};
  let text: string;
  try {
    text = strictUtf8.decode(valueBytes);
  } catch {
    return {};
  }
  try {
    return { value: JSON.parse(text, keepNumberText) };
  } catch {
    return { value: text };
  }
};

// --- matching -------------------------------------------------------------------------------

type Leaf = string | boolean | null | number | JsonNumber;

const isObjectNode = (node: unknown): node is Readonly<Record<string, unknown>> =>
  typeof node === "object" &&
  node !== null &&
  !Array.isArray(node) &&
  !(node instanceof JsonNumber);

const isLeaf = (node: unknown): node is Leaf =>
  node === null ||
  typeof node === "string" ||
  typeof node === "boolean" ||
  typeof node === "number" ||
  node instanceof JsonNumber;

const isMatcherList = (
  rule: FilterPattern | readonly FilterValue[],
): rule is readonly FilterValue[] => Array.isArray(rule);

/** The field's value, or `undefined` when the node has no such field. */
const fieldOf = (node: unknown, field: string): unknown =>
  isObjectNode(node) && Object.hasOwn(node, field) ? node[field] : undefined;

/** The leaves under a field: itself, or every leaf of an array (nested arrays flattened). */
const leavesOf = (value: unknown): Leaf[] => {
  if (Array.isArray(value)) return value.flatMap(leavesOf);
  return isLeaf(value) ? [value] : [];
};

const NO_FIELDS: Readonly<Record<string, unknown>> = {};

/** The objects a nested pattern is tried against: the object, or each one in an array. */
const objectsIn = (value: unknown): Readonly<Record<string, unknown>>[] => {
  if (Array.isArray(value)) return value.flatMap(objectsIn);
  return isObjectNode(value) ? [value] : [];
};

const numberValue = (leaf: Leaf): number | undefined => {
  if (leaf instanceof JsonNumber) return leaf.value;
  return typeof leaf === "number" ? leaf : undefined;
};

const numberText = (leaf: Leaf): string | undefined => {
  if (leaf instanceof JsonNumber) return leaf.text;
  return typeof leaf === "number" ? JSON.stringify(leaf) : undefined;
};

const COMPARISONS: Readonly<Record<string, (left: number, right: number) => boolean>> = {
  "=": (left, right) => left === right,
  "<": (left, right) => left < right,
  "<=": (left, right) => left <= right,
  ">": (left, right) => left > right,
  ">=": (left, right) => left >= right,
};

const satisfiesNumeric = (terms: readonly (string | number)[], value: number): boolean => {
  for (let index = 0; index < terms.length; index += 2) {
    const compare = COMPARISONS[String(terms[index])];
    const bound = terms[index + 1];
    if (compare === undefined || typeof bound !== "number" || !compare(value, bound)) return false;
  }
  return terms.length > 0;
};

const isExcluded = (excluded: string | number, leaf: Leaf): boolean =>
  typeof excluded === "string" ? leaf === excluded : numberValue(leaf) === excluded;

const matchesValue = (matcher: FilterValue, leaves: readonly Leaf[]): boolean => {
  if (matcher === null || typeof matcher === "string" || typeof matcher === "boolean") {
    return leaves.some((leaf) => leaf === matcher);
  }
  if (typeof matcher === "number") {
    const text = JSON.stringify(matcher);
    return leaves.some((leaf) => numberText(leaf) === text);
  }
  if ("exists" in matcher) return matcher.exists === leaves.length > 0;
  if ("prefix" in matcher) {
    return leaves.some((leaf) => typeof leaf === "string" && leaf.startsWith(matcher.prefix));
  }
  if ("suffix" in matcher) {
    return leaves.some((leaf) => typeof leaf === "string" && leaf.endsWith(matcher.suffix));
  }
  if ("anything-but" in matcher) {
    const excluded = matcher["anything-but"];
    const list =
      typeof excluded === "string" || typeof excluded === "number" ? [excluded] : excluded;
    return leaves.some((leaf) => !list.some((value) => isExcluded(value, leaf)));
  }
  return leaves.some((leaf) => {
    const value = numberValue(leaf);
    return value !== undefined && satisfiesNumeric(matcher.numeric, value);
  });
};

const matchesPattern = (pattern: FilterPattern, node: unknown): boolean =>
  Object.entries(pattern).every(([field, rule]) => {
    const value = fieldOf(node, field);
    if (isMatcherList(rule)) {
      const leaves = leavesOf(value);
      return rule.some((matcher) => matchesValue(matcher, leaves));
    }
    const objects = objectsIn(value);
    // A missing field, a leaf or an empty array has no sub-fields, where `exists: false` holds.
    return objects.length === 0
      ? matchesPattern(rule, NO_FIELDS)
      : objects.some((child) => matchesPattern(rule, child));
  });

/** True when the document matches any pattern; no patterns match every document. */
export const matchesAnyFilter = (patterns: readonly FilterPattern[], document: unknown): boolean =>
  patterns.length === 0 || patterns.some((pattern) => matchesPattern(pattern, document));
