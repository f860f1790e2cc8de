/**
 * Whether a zod schema only checks its input: parsing a valid input gives back a value equal
 * to it. For such a schema a valid input can be used as it is (`z.validate`), instead of the
 * copy `parse` builds, which costs a consumer about 3% of its time.
 *
 * Conservative, by allow-list: a schema counts only when it and every schema inside it are of
 * a kind that keeps its input (strings in formats that do not rewrite them, numbers,
 * booleans, literals, enums, arrays, unions, optional and nullable values, objects that keep
 * or refuse unknown keys) and each of their checks only checks (lengths, bounds, string
 * formats of that list, `.refine`). Anything else answers false: transforms, pipes and codecs
 * (`z.stringbool`), defaults, `catch`, coercion, overwriting checks (`.trim()`), URL formats
 * (zod trims and normalizes URLs), `.superRefine` and `.check` (they may change the value),
 * objects that strip unknown keys (`z.object`), records (zod rewrites numeric keys), tuples,
 * `readonly` (its output is frozen), and every kind not listed here.
 *
 * @example
 * ```ts
 * isChecksOnly(z.looseObject({ sku: z.string().min(1) }));  // true
 * isChecksOnly(z.object({ sku: z.string().trim() }));        // false: strips keys, trims
 * ```
 */
import type { z } from "zod";

/** Checks that look at a value and never change it. */
const CHECKING = new Set([
  "less_than",
  "greater_than",
  "multiple_of",
  "number_format",
  "bigint_format",
  "max_size",
  "min_size",
  "size_equals",
  "max_length",
  "min_length",
  "length_equals",
  "property",
  "describe",
  "meta",
]);

/** String formats whose check leaves the text as it is (not `url`, which rewrites it). */
const CHECKING_FORMATS = new Set([
  "regex",
  "lowercase",
  "uppercase",
  "includes",
  "starts_with",
  "ends_with",
  "email",
  "uuid",
  "guid",
  "datetime",
  "date",
  "time",
  "duration",
  "ipv4",
  "ipv6",
  "cidrv4",
  "cidrv6",
  "base64",
  "base64url",
  "e164",
  "jwt",
  "nanoid",
  "cuid",
  "cuid2",
  "ulid",
  "xid",
  "ksuid",
  "emoji",
]);

/** Kinds whose output is their input once valid, with nothing inside them. */
const LEAVES = new Set([
  "string",
  "number",
  "boolean",
  "bigint",
  "symbol",
  "null",
  "undefined",
  "void",
  "never",
  "any",
  "unknown",
  "nan",
  "literal",
  "enum",
  "template_literal",
  "custom",
]);

type Schema = z.core.$ZodType;
type Check = z.core.$ZodCheck;

/** A string format, of a string schema (`z.uuid()`) or of a check (`.regex()`), that keeps the text. */
const isCheckingFormat = (format: string | undefined): boolean =>
  format === undefined || CHECKING_FORMATS.has(format);

/** `.refine` adds a check with the function it asks; `.check` and `.superRefine` a bare one. */
const isCheckingOnly = (check: Check): boolean => {
  const def = check._zod.def as {
    readonly check: string;
    readonly fn?: unknown;
    readonly format?: string;
  };
  if (def.check === "custom") return typeof def.fn === "function";
  if (def.check === "string_format") return isCheckingFormat(def.format);
  return CHECKING.has(def.check);
};

export const isChecksOnly = (schema: Schema): boolean => {
  const def = schema._zod.def as z.core.$ZodTypeDef & {
    readonly checks?: readonly Check[];
    readonly coerce?: boolean;
    readonly format?: string;
  };
  if (def.coerce === true || !(def.checks ?? []).every(isCheckingOnly)) return false;
  if (def.type === "string") return isCheckingFormat(def.format);
  if (LEAVES.has(def.type)) return true;
  switch (def.type) {
    case "object": {
      const { shape, catchall } = def as z.core.$ZodObjectDef;
      const keepsOrRefusesUnknownKeys =
        catchall !== undefined && ["unknown", "any", "never"].includes(catchall._zod.def.type);
      return keepsOrRefusesUnknownKeys && Object.values(shape).every(isChecksOnly);
    }
    case "array":
      return isChecksOnly((def as z.core.$ZodArrayDef).element);
    case "union":
      return (def as z.core.$ZodUnionDef).options.every(isChecksOnly);
    case "optional":
    case "nullable":
    case "nonoptional":
      return isChecksOnly((def as z.core.$ZodOptionalDef).innerType);
    default:
      return false;
  }
};
