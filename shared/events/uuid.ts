/**
 * Whether a text is a UUID as zod's `z.uuid()` accepts one (RFC 9562): 32 hexadecimal digits
 * in groups of 8-4-4-4-12, either case, version 1 to 8, variant `10xx` (8, 9, a or b), or
 * else the nil UUID or the max UUID (in lower case, as zod has it).
 *
 * Hand-written because every consumer checks the `event_id` of every record: zod's regular
 * expression took about 4% of a consumer's time. A test holds this check to zod's expression
 * on seeded texts.
 *
 * @example
 * ```ts
 * isUuid("3f2c8a1e-9b4d-4c7e-8f01-2a3b4c5d6e7f"); // true
 * isUuid("3f2c8a1e-9b4d-0c7e-8f01-2a3b4c5d6e7f"); // false: version 0
 * ```
 */

const LENGTH = 36;
const DASH = "-".charCodeAt(0);
const NIL = "00000000-0000-0000-0000-000000000000";
const MAX = "ffffffff-ffff-ffff-ffff-ffffffffffff";
const VERSION_AT = 14;
const VARIANT_AT = 19;

/** 1 for each hexadecimal digit's character code (either case), 0 for any other below 128. */
const HEX_DIGIT: Uint8Array = (() => {
  const digits = new Uint8Array(128);
  for (const digit of "0123456789abcdefABCDEF") digits[digit.charCodeAt(0)] = 1;
  return digits;
})();

/** Whether the characters from `start` up to `end` are all hexadecimal digits. */
const isHexDigits = (text: string, start: number, end: number): boolean => {
  for (let index = start; index < end; index += 1) {
    const code = text.charCodeAt(index);
    if (code >= 128 || HEX_DIGIT[code] === 0) return false;
  }
  return true;
};

const isDashAt = (text: string, index: number): boolean => text.charCodeAt(index) === DASH;

const isVersion = (code: number): boolean => code >= "1".charCodeAt(0) && code <= "8".charCodeAt(0);

/** 8, 9, a or b in either case (`| 0x20` lowers an ASCII letter's case). */
const isVariant = (code: number): boolean =>
  code === "8".charCodeAt(0) ||
  code === "9".charCodeAt(0) ||
  (code | 0x20) === "a".charCodeAt(0) ||
  (code | 0x20) === "b".charCodeAt(0);

/** The dashes first, then the groups of digits between them: the order that answers fastest. */
export const isUuid = (text: string): boolean => {
  if (text.length !== LENGTH) return false;
  if (!isDashAt(text, 8) || !isDashAt(text, 13) || !isDashAt(text, 18) || !isDashAt(text, 23)) {
    return false;
  }
  const digits =
    isHexDigits(text, 0, 8) &&
    isHexDigits(text, 9, 13) &&
    isHexDigits(text, 14, 18) &&
    isHexDigits(text, 19, 23) &&
    isHexDigits(text, 24, LENGTH);
  if (!digits) return false;
  if (isVersion(text.charCodeAt(VERSION_AT)) && isVariant(text.charCodeAt(VARIANT_AT))) return true;
  return text === NIL || text === MAX;
};
