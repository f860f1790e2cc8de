/**
 * Money as decimal strings, never floats: a schema for the wire format and exact arithmetic
 * on scaled integers.
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
import { z } from "zod";

/** Digits after the decimal point that amounts may carry. */
export const MONEY_SCALE = 4;
const FRACTION_ZEROS = "0".repeat(MONEY_SCALE);
const ZERO = "0".charCodeAt(0);
const MONEY_PATTERN = new RegExp(`^(0|[1-9]\\d{0,14})(\\.\\d{1,${MONEY_SCALE}})?$`);
const SIGNED_DECIMAL_PATTERN = new RegExp(`^-?\\d+(\\.\\d{1,${MONEY_SCALE}})?$`);

/**
 * A non-negative amount as a decimal string, e.g. "12.50" (at most 4 decimals). A malformed
 * amount aborts its parent's refinements (`abort`), so a refinement that computes with
 * amounts, such as an order's total, only ever sees well-formed ones.
 */
export const moneySchema = z.string().regex(MONEY_PATTERN, {
  message: `must be a non-negative decimal string such as "12.50", at most ${MONEY_SCALE} decimals`,
  abort: true,
});

/** ISO 4217 currency code, as known to the runtime's Intl data. */
export const currencySchema = z.enum(Intl.supportedValuesOf("currency"), {
  message: 'must be an ISO 4217 currency code such as "EUR"',
});

/** Scaled units of a decimal string, e.g. "-2.5" -> -25000n (at most MONEY_SCALE decimals). */
const toUnits = (amount: string): bigint => {
  const point = amount.indexOf(".");
  // One BigInt parse of the digits with the point moved MONEY_SCALE places right.
  return point === -1
    ? BigInt(amount + FRACTION_ZEROS)
    : BigInt(amount.slice(0, point) + amount.slice(point + 1).padEnd(MONEY_SCALE, "0"));
};

/** Formats scaled units with at least two decimals: 70000n -> "7.00", -70500n -> "-7.05". */
const fromUnits = (units: bigint): string => {
  const negative = units < 0n;
  const digits = (negative ? -units : units).toString().padStart(MONEY_SCALE + 1, "0");
  let end = digits.length;
  while (end > digits.length - MONEY_SCALE + 2 && digits.charCodeAt(end - 1) === ZERO) end -= 1;
  const whole = digits.slice(0, digits.length - MONEY_SCALE);
  return `${negative ? "-" : ""}${whole}.${digits.slice(digits.length - MONEY_SCALE, end)}`;
};

export const sumMoney = (amounts: readonly string[]): string =>
  fromUnits(amounts.reduce((sum, amount) => sum + toUnits(amount), 0n));

export const multiplyMoney = (amount: string, quantity: number): string =>
  fromUnits(toUnits(amount) * BigInt(quantity));

/** An amount and how many times it counts, e.g. an order item's unit price and quantity. */
export type MoneyLine = readonly [amount: string, quantity: number];

/** The sum of amount x quantity over the lines, in scaled units. */
const unitsOfProducts = (lines: readonly MoneyLine[]): bigint => {
  let units = 0n;
  for (const [amount, quantity] of lines) units += toUnits(amount) * BigInt(quantity);
  return units;
};

export const moneyEquals = (left: string, right: string): boolean =>
  toUnits(left) === toUnits(right);

/**
 * The exact sum of amount x quantity over lines, e.g. an order's items: each amount is
 * parsed once and only the sum is formatted (`sumMoney` of `multiplyMoney`s gives the same
 * text, formatting and parsing every product on the way).
 */
export const sumOfProducts = (lines: readonly MoneyLine[]): string =>
  fromUnits(unitsOfProducts(lines));

const POINT = ".".charCodeAt(0);

/**
 * Scaled units of an unsigned amount as a Number, e.g. "10.25" -> 102500, read digit by
 * digit: the same units as `toUnits`, or `undefined` where they might not be exact (at or
 * above 2^53; digits only grow, so an inexact sum of digits stays at or above it) and for
 * anything but digits with at most one point, which `toUnits` then reads.
 */
const safeUnits = (amount: string): number | undefined => {
  let units = 0;
  let decimals = -1;
  for (let index = 0; index < amount.length; index += 1) {
    const code = amount.charCodeAt(index);
    if (code === POINT && decimals === -1) decimals = 0;
    else if (code < ZERO || code > ZERO + 9) return undefined;
    else {
      units = units * 10 + (code - ZERO);
      if (decimals !== -1) decimals += 1;
    }
  }
  if (decimals > MONEY_SCALE) return undefined;
  for (let scale = Math.max(decimals, 0); scale < MONEY_SCALE; scale += 1) units *= 10;
  return Number.isSafeInteger(units) ? units : undefined;
};

/**
 * `unitsOfProducts` in Numbers, or `undefined` as soon as a step might not be exact. Integers
 * below 2^53 multiply and add exactly, and a result at or above it fails `isSafeInteger`.
 */
const safeUnitsOfProducts = (lines: readonly MoneyLine[]): number | undefined => {
  let units = 0;
  for (const [amount, quantity] of lines) {
    const amountUnits = safeUnits(amount);
    if (amountUnits === undefined || !Number.isSafeInteger(quantity)) return undefined;
    const product = amountUnits * quantity;
    units += product;
    if (!Number.isSafeInteger(product) || !Number.isSafeInteger(units)) return undefined;
  }
  return units;
};

/**
 * Whether `total` is exactly the sum of amount x quantity over the lines: `sumOfProducts`
 * compared in scaled units, without formatting the sum and parsing it back. Every event's
 * contract checks this, so amounts of everyday size are compared in Numbers, exactly, about
 * eight times faster than in BigInts; larger ones in BigInts.
 */
export const isSumOfProducts = (total: string, lines: readonly MoneyLine[]): boolean => {
  const totalUnits = safeUnits(total);
  const sumUnits = totalUnits === undefined ? undefined : safeUnitsOfProducts(lines);
  if (sumUnits !== undefined) return totalUnits === sumUnits;
  return toUnits(total) === unitsOfProducts(lines);
};

/** The amount with the opposite sign, e.g. to take an amount back out of a running total. */
export const negateMoney = (amount: string): string => fromUnits(-toUnits(amount));

/**
 * A decimal amount, possibly negative and with up to MONEY_SCALE decimals (as a DynamoDB
 * number comes back), in the wire form: at least two decimals, e.g. "25" -> "25.00",
 * "-0.5000" -> "-0.50", "0.0000" -> "0.00".
 */
export const formatMoney = (amount: string): string => {
  if (!SIGNED_DECIMAL_PATTERN.test(amount)) {
    throw new RangeError(
      `"${amount}" is not a decimal amount with at most ${MONEY_SCALE} decimals`,
    );
  }
  return fromUnits(toUnits(amount));
};
