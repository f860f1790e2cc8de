import { describe, expect, it } from "vitest";
import { isCanonicalBase64 } from "../../../shared/kafka/canonical-base64";
import { seededRandom } from "../../support/seeded-random";

/** What canonical means: encoding the bytes the text decodes to gives the text back. */
const roundTrips = (text: string): boolean =>
  Buffer.from(text, "base64").toString("base64") === text;

describe("isCanonicalBase64", () => {
  it.each([
    ["", true],
    ["QQ==", true],
    ["QUI=", true],
    ["QUJD", true],
    ["+/+/", true],
    ["QQ", false],
    ["QR==", false],
    ["QUJ=", false],
    ["Q Q==", false],
    ["QQ=A", false],
    ["====", false],
    ["A===", false],
    ["QQ-_", false],
    ["QUJDé===", false],
  ])("%j is %s", (text, expected) => {
    expect(isCanonicalBase64(text)).toBe(expected);
    expect(roundTrips(text)).toBe(expected);
  });

  it("agrees with a round trip through Node's decoder on 20,000 seeded texts", () => {
    // Prepare: encodings of random bytes, and texts near them (a character changed, added or
    // dropped, drawn from the alphabet, the pad, a space and a URL-safe character)
    const next = seededRandom(20_261_126);
    const characters = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/= -_";
    const texts: string[] = [];
    for (let n = 0; n < 20_000; n += 1) {
      const bytes = Buffer.from(Array.from({ length: next(12) }, () => next(256)));
      const text = bytes.toString("base64");
      const at = next(text.length + 1);
      const character = characters[next(characters.length)] ?? "A";
      const edits = [
        text,
        text.slice(0, at) + character + text.slice(at + 1),
        text.slice(0, at) + character + text.slice(at),
        text.slice(0, at) + text.slice(at + 1),
      ];
      texts.push(edits[next(edits.length)] ?? text);
    }

    // Act
    const disagreements = texts.filter((text) => isCanonicalBase64(text) !== roundTrips(text));

    // Assess: both answers occur, and they never differ
    expect(texts.filter(roundTrips).length).toBeGreaterThan(5_000);
    expect(texts.filter((text) => !roundTrips(text)).length).toBeGreaterThan(5_000);
    expect(disagreements).toEqual([]);
  });
});
