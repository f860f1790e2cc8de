/**
 * Money as decimal strings, never floats: a schema for the wire format and exact arithmetic
 * on scaled integers (BigInt units of 1/10^MONEY_SCALE).
 *
 * @example
 * ```ts
 * moneySchema.parse("12.50");                                    // "12.50"
 * sumMoney([multiplyMoney("2.10", 3), "0.70"]);                   // "7.00"
 * sumOfProducts([["2.10", 3], ["0.35", 2]]);                      // "7.00"
 * moneyEquals("7", "7.00");                                       // true
 * formatMoney("-2.5");                                            // "-2.50"
 * ```
 */
import * as z from "zod/mini";

/**
 * Digits after the decimal point that amounts may carry.
 *
 * @example
 * ```ts
 * MONEY_SCALE; // 4: "0.0001" is the smallest amount
 * ```
 */
export const MONEY_SCALE = 4;
const MONEY_PATTERN = new RegExp(`^(0|[1-9]\\d{0,14})(\\.\\d{1,${MONEY_SCALE}})?$`);
const SIGNED_DECIMAL_PATTERN = new RegExp(`^-?\\d+(\\.\\d{1,${MONEY_SCALE}})?$`);
/** The zeros a formatted amount may drop: it keeps at least two decimals. */
const DROPPABLE_ZEROS = new RegExp(`0{1,${MONEY_SCALE - 2}}$`);

/**
 * A non-negative amount as a decimal string, e.g. "12.50" (at most 4 decimals). A malformed
 * amount aborts its parent's refinements (`abort`), so a refinement that computes with
 * amounts, such as an order's total, only ever sees well-formed ones.
 *
 * @example
 * ```ts
 * moneySchema.safeParse("12.50").success; // true
 * moneySchema.safeParse("12.5e1").success; // false
 * ```
 */
export const moneySchema = z.string().check(
  z.regex(MONEY_PATTERN, {
    message: `must be a non-negative decimal string such as "12.50", at most ${MONEY_SCALE} decimals`,
    abort: true,
  }),
);

/**
 * ISO 4217 currency code, as known to the runtime's Intl data.
 *
 * @example
 * ```ts
 * currencySchema.parse("EUR"); // "EUR"
 * ```
 */
export const currencySchema = z.enum(Intl.supportedValuesOf("currency"), {
  message: 'must be an ISO 4217 currency code such as "EUR"',
});

/** Scaled units of a decimal string, e.g. "-2.5" -> -25000n (at most MONEY_SCALE decimals). */
const toUnits = (amount: string): bigint => {
  const [whole = "", fraction = ""] = amount.split(".");
  return BigInt(whole + fraction.padEnd(MONEY_SCALE, "0"));
};

/** Formats scaled units with at least two decimals: 70000n -> "7.00", -70500n -> "-7.05". */
const fromUnits = (units: bigint): string => {
  const sign = units < 0n ? "-" : "";
  const digits = (units < 0n ? -units : units).toString().padStart(MONEY_SCALE + 1, "0");
  const whole = digits.slice(0, -MONEY_SCALE);
  const fraction = digits.slice(-MONEY_SCALE).replace(DROPPABLE_ZEROS, "");
  return `${sign}${whole}.${fraction}`;
};

/**
 * The exact sum of amounts.
 *
 * @example
 * ```ts
 * sumMoney(["0.10", "0.20"]); // "0.30", where floats give 0.30000000000000004
 * ```
 */
export const sumMoney = (amounts: readonly string[]): string =>
  fromUnits(amounts.reduce((sum, amount) => sum + toUnits(amount), 0n));

/**
 * The exact product of an amount and a whole quantity.
 *
 * @example
 * ```ts
 * multiplyMoney("2.10", 3); // "6.30"
 * ```
 */
export const multiplyMoney = (amount: string, quantity: number): string =>
  fromUnits(toUnits(amount) * BigInt(quantity));

/**
 * An amount and how many times it counts, e.g. an order item's unit price and quantity.
 *
 * @example
 * ```ts
 * const line: MoneyLine = ["10.25", 2];
 * ```
 */
export type MoneyLine = readonly [amount: string, quantity: number];

/** The sum of amount x quantity over the lines, in scaled units. */
const unitsOfProducts = (lines: readonly MoneyLine[]): bigint =>
  lines.reduce((sum, [amount, quantity]) => sum + toUnits(amount) * BigInt(quantity), 0n);

/**
 * Whether two amounts are the same value, whatever their spelling.
 *
 * @example
 * ```ts
 * moneyEquals("7", "7.00"); // true
 * ```
 */
export const moneyEquals = (left: string, right: string): boolean =>
  toUnits(left) === toUnits(right);

/**
 * The exact sum of amount x quantity over the lines, e.g. an order's items: the same text as
 * `sumMoney` of `multiplyMoney`s.
 *
 * @example
 * ```ts
 * sumOfProducts([["2.10", 3], ["0.35", 2]]); // "7.00"
 * ```
 */
export const sumOfProducts = (lines: readonly MoneyLine[]): string =>
  fromUnits(unitsOfProducts(lines));

/**
 * Whether `total` is exactly the sum of amount x quantity over the lines, whatever the
 * total's decimal places: what an event's contract checks of its total.
 *
 * @example
 * ```ts
 * isSumOfProducts("7", [["2.10", 3], ["0.35", 2]]); // true
 * ```
 */
export const isSumOfProducts = (total: string, lines: readonly MoneyLine[]): boolean =>
  toUnits(total) === unitsOfProducts(lines);

/**
 * The amount with the opposite sign, e.g. to take an amount back out of a running total.
 *
 * @example
 * ```ts
 * negateMoney("25.00"); // "-25.00"
 * ```
 */
export const negateMoney = (amount: string): string => fromUnits(-toUnits(amount));

/**
 * A decimal amount, possibly negative and with up to MONEY_SCALE decimals (as a DynamoDB
 * number comes back), in the wire form: at least two decimals. Throws a `RangeError` for
 * anything else.
 *
 * @example
 * ```ts
 * formatMoney("25");      // "25.00"
 * formatMoney("-0.5000"); // "-0.50"
 * formatMoney("0.0000");  // "0.00"
 * ```
 */
export const formatMoney = (amount: string): string => {
  if (!SIGNED_DECIMAL_PATTERN.test(amount)) {
    throw new RangeError(
      `"${amount}" is not a decimal amount with at most ${MONEY_SCALE} decimals`,
    );
  }
  return fromUnits(toUnits(amount));
};
