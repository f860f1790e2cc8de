/**
 * Money as decimal strings, never floats: a schema for the wire format and exact arithmetic
 * on scaled integers.
 *
 * @example
 * ```ts
 * moneySchema.parse("12.50");                                    // "12.50"
 * sumMoney([multiplyMoney("2.10", 3), "0.70"]);                   // "7.00"
 * moneyEquals("7", "7.00");                                       // true
 * ```
 */
import { z } from "zod";

/** Digits after the decimal point that amounts may carry. */
export const MONEY_SCALE = 4;
const SCALE_FACTOR = 10n ** BigInt(MONEY_SCALE);
const MONEY_PATTERN = new RegExp(`^(0|[1-9]\\d{0,14})(\\.\\d{1,${MONEY_SCALE}})?$`);

/** A non-negative amount as a decimal string, e.g. "12.50" (at most 4 decimals). */
export const moneySchema = z
  .string()
  .regex(
    MONEY_PATTERN,
    `must be a non-negative decimal string such as "12.50", at most ${MONEY_SCALE} decimals`,
  );

/** ISO 4217 currency code, as known to the runtime's Intl data. */
const knownCurrencies = new Set(Intl.supportedValuesOf("currency"));
export const currencySchema = z
  .string()
  .refine((code) => knownCurrencies.has(code), 'must be an ISO 4217 currency code such as "EUR"');

const toUnits = (amount: string): bigint => {
  const [whole = "0", fraction = ""] = amount.split(".");
  return BigInt(whole) * SCALE_FACTOR + BigInt(fraction.padEnd(MONEY_SCALE, "0"));
};

/** Formats scaled units with at least two decimals: 70000n -> "7.00", 70500n -> "7.05". */
const fromUnits = (units: bigint): string => {
  const whole = units / SCALE_FACTOR;
  const fraction = (units % SCALE_FACTOR).toString().padStart(MONEY_SCALE, "0");
  const trimmed = fraction.replace(/0+$/, "").padEnd(2, "0");
  return `${whole}.${trimmed}`;
};

export const sumMoney = (amounts: readonly string[]): string =>
  fromUnits(amounts.reduce((sum, amount) => sum + toUnits(amount), 0n));

export const multiplyMoney = (amount: string, quantity: number): string =>
  fromUnits(toUnits(amount) * BigInt(quantity));

export const moneyEquals = (left: string, right: string): boolean =>
  toUnits(left) === toUnits(right);
