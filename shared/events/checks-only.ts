/**
 * Whether a zod schema only checks its input: parsing a valid input gives back a value equal
 * to it. For such a schema a valid input can be used as it is (`z.validate`), instead of the
 * copy `parse` builds, which costs a consumer about 3% of its time.
 *
 * Conservative: a schema counts only when it and every schema inside it are of a kind that
 * keeps its input (strings, numbers, literals, enums, arrays, unions, optional and nullable
 * values, objects that keep or refuse unknown keys, ...) and each of their checks only
 * checks (lengths, bounds, formats, `.refine`). Anything else answers false: transforms and
 * pipes into them, defaults, `catch`, coercion, overwriting checks such as `.trim()`,
 * `.superRefine` and `.check` (they may change the value), objects that strip unknown keys
 * (`z.object`), and every kind not listed here.
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
  "string_format",
  "property",
  "mime_type",
  "describe",
  "meta",
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

/** `.refine` adds a check with the function it asks; `.check` and `.superRefine` a bare one. */
const isCheckingOnly = (check: Check): boolean => {
  const def = check._zod.def as { readonly check: string; readonly fn?: unknown };
  if (def.check === "custom") return typeof def.fn === "function";
  return CHECKING.has(def.check);
};

export const isChecksOnly = (schema: Schema): boolean => {
  const def = schema._zod.def as z.core.$ZodTypeDef & {
    readonly checks?: readonly Check[];
    readonly coerce?: boolean;
  };
  if (def.coerce === true || !(def.checks ?? []).every(isCheckingOnly)) return false;
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
    case "tuple": {
      const { items, rest } = def as z.core.$ZodTupleDef;
      return items.every(isChecksOnly) && (rest === null || isChecksOnly(rest));
    }
    case "record": {
      const { keyType, valueType } = def as z.core.$ZodRecordDef;
      return isChecksOnly(keyType) && isChecksOnly(valueType);
    }
    case "union":
      return (def as z.core.$ZodUnionDef).options.every(isChecksOnly);
    case "optional":
    case "nullable":
    case "nonoptional":
    case "readonly":
      return isChecksOnly((def as z.core.$ZodOptionalDef).innerType);
    case "pipe": {
      const { in: input, out } = def as z.core.$ZodPipeDef;
      return isChecksOnly(input) && isChecksOnly(out);
    }
    default:
      return false;
  }
};
