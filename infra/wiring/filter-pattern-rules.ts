/**
 * Which event filter patterns Lambda accepts when a mapping is created (see docs/architecture.md, "Lambda event sources"): at most
 * {@link MAX_FILTER_PATTERNS} per trigger, each at most {@link MAX_FILTER_PATTERN_LENGTH}
 * characters of JSON, and only the matchers the local runtime implements (exact values,
 * prefix, suffix, exists, anything-but, numeric). CDK and the local runtime both check the
 * declaration with it.
 *
 * @example
 * ```ts
 * validateFilterPatterns(trigger.filters); // throws InvalidFilterPatternsError, every issue at once
 * ```
 */
import type { FilterPattern } from "./types";

/** Lambda's default quota of filters per event source mapping. */
export const MAX_FILTER_PATTERNS = 5;
/** Lambda's limit on the length of one filter's `Pattern` string. */
export const MAX_FILTER_PATTERN_LENGTH = 4096;

/** A declaration's patterns that Lambda would refuse, each issue with where it sits. */
export class InvalidFilterPatternsError extends Error {
  override readonly name = "InvalidFilterPatternsError";

  constructor(readonly issues: readonly string[]) {
    super(`Invalid event filter patterns: ${issues.join("; ")}`);
  }
}

const isObjectNode = (node: unknown): node is Readonly<Record<string, unknown>> =>
  typeof node === "object" && node !== null && !Array.isArray(node);

const LOWER_BOUNDS = new Set([">", ">="]);
const UPPER_BOUNDS = new Set(["<", "<="]);
const SUPPORTED =
  "exact string/number/boolean/null, prefix, suffix, exists, anything-but (value or list), numeric";

const isFiniteNumber = (value: unknown): value is number =>
  typeof value === "number" && Number.isFinite(value);

const numericIssue = (terms: unknown): string | undefined => {
  if (!Array.isArray(terms)) return 'numeric takes an array such as [">", 0, "<=", 5]';
  const [operator, bound, upperOperator, upperBound, ...rest] = terms as unknown[];
  if (!isFiniteNumber(bound)) return "numeric needs a finite number after its operator";
  const single = terms.length === 2;
  if (operator === "=" || UPPER_BOUNDS.has(String(operator))) {
    return single ? undefined : `numeric "${String(operator)}" takes one comparison only`;
  }
  if (!LOWER_BOUNDS.has(String(operator))) {
    return `numeric operator ${JSON.stringify(operator)} is not one of =, <, <=, >, >=`;
  }
  if (single) return undefined;
  if (rest.length > 0 || !UPPER_BOUNDS.has(String(upperOperator)) || !isFiniteNumber(upperBound)) {
    return 'a numeric range is a lower bound then an upper bound, e.g. [">", 0, "<=", 5]';
  }
  return bound < upperBound
    ? undefined
    : "a numeric range's lower bound must be below its upper bound";
};

const anythingButIssue = (excluded: unknown): string | undefined => {
  if (typeof excluded === "string" || isFiniteNumber(excluded)) return undefined;
  if (!Array.isArray(excluded)) {
    // EventBridge also has anything-but with prefix, suffix, wildcard or equals-ignore-case;
    // Lambda's list of operators and the declaration's FilterValue type have only values.
    return "anything-but takes a string, a number or a list of them";
  }
  const allStrings = excluded.every((value) => typeof value === "string");
  const allNumbers = excluded.every(isFiniteNumber);
  return excluded.length > 0 && (allStrings || allNumbers)
    ? undefined
    : "an anything-but list holds at least one value, all strings or all numbers";
};

const matcherIssue = (matcher: unknown): string | undefined => {
  if (matcher === null || typeof matcher === "string" || typeof matcher === "boolean") {
    return undefined;
  }
  if (typeof matcher === "number") return Number.isFinite(matcher) ? undefined : "must be finite";
  if (!isObjectNode(matcher)) {
    return `${JSON.stringify(matcher)} is not a matcher; supported: ${SUPPORTED}`;
  }
  const entries = Object.entries(matcher);
  const [entry] = entries;
  if (entry === undefined || entries.length > 1) {
    return `a matcher object has exactly one key, got ${JSON.stringify(matcher)}`;
  }
  const [kind, argument] = entry;
  switch (kind) {
    case "prefix":
    case "suffix":
      return typeof argument === "string" ? undefined : `${kind} takes a string`;
    case "exists":
      return typeof argument === "boolean" ? undefined : "exists takes true or false";
    case "anything-but":
      return anythingButIssue(argument);
    case "numeric":
      return numericIssue(argument);
    default:
      return `unknown matcher ${JSON.stringify(kind)}; supported: ${SUPPORTED}`;
  }
};

const patternIssues = (pattern: unknown, path: string): string[] => {
  if (!isObjectNode(pattern)) return [`${path}: must be an object of fields`];
  const fields = Object.entries(pattern);
  if (fields.length === 0) return [`${path}: has no fields`];
  return fields.flatMap(([field, rule]) => {
    const at = `${path}.${field}`;
    if (isObjectNode(rule)) return patternIssues(rule, at);
    if (!Array.isArray(rule)) return [`${at}: must be an array of matchers or a nested pattern`];
    if (rule.length === 0) return [`${at}: must hold at least one matcher`];
    return rule.flatMap((matcher: unknown, index) => {
      const issue = matcherIssue(matcher);
      return issue === undefined ? [] : [`${at}[${index}]: ${issue}`];
    });
  });
};

/**
 * Checks a trigger's patterns as Lambda would when the mapping is created: at most
 * {@link MAX_FILTER_PATTERNS}, each at most {@link MAX_FILTER_PATTERN_LENGTH} characters of
 * JSON, and only the matchers this emulator implements. Every issue is reported at once.
 */
export function validateFilterPatterns(
  patterns: readonly unknown[],
): asserts patterns is readonly FilterPattern[] {
  const issues: string[] = [];
  if (patterns.length > MAX_FILTER_PATTERNS) {
    issues.push(
      `${patterns.length} patterns; Lambda takes at most ${MAX_FILTER_PATTERNS} per trigger`,
    );
  }
  patterns.forEach((pattern, index) => {
    const path = `patterns[${index}]`;
    issues.push(...patternIssues(pattern, path));
    const length = JSON.stringify(pattern)?.length ?? 0;
    if (length > MAX_FILTER_PATTERN_LENGTH) {
      issues.push(
        `${path}: ${length} characters of JSON; Lambda takes at most ${MAX_FILTER_PATTERN_LENGTH}`,
      );
    }
  });
  if (issues.length > 0) throw new InvalidFilterPatternsError(issues);
}
