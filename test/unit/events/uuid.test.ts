import { describe, expect, it } from "vitest";
import { z } from "zod";
import { isUuid } from "../../../shared/events";
import { seededRandom } from "../../support/seeded-random";

/** What `z.uuid()` accepts: the expression `isUuid` stands in for. */
const ZOD_UUID = z.regexes.uuid();

describe("isUuid", () => {
  it.each([
    ["3f2c8a1e-9b4d-4c7e-8f01-2a3b4c5d6e7f", true],
    ["3F2C8A1E-9B4D-4C7E-BF01-2A3B4C5D6E7F", true],
    ["3f2c8a1e-9b4d-1c7e-9f01-2a3b4c5d6e7f", true],
    ["3f2c8a1e-9b4d-8c7e-af01-2a3b4c5d6e7f", true],
    ["00000000-0000-0000-0000-000000000000", true],
    ["ffffffff-ffff-ffff-ffff-ffffffffffff", true],
    ["FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF", false],
    ["3f2c8a1e-9b4d-0c7e-8f01-2a3b4c5d6e7f", false],
    ["3f2c8a1e-9b4d-9c7e-8f01-2a3b4c5d6e7f", false],
    ["3f2c8a1e-9b4d-4c7e-cf01-2a3b4c5d6e7f", false],
    ["3f2c8a1e-9b4d-4c7e-8f01-2a3b4c5d6e7", false],
    ["3f2c8a1e-9b4d-4c7e-8f01-2a3b4c5d6e7f0", false],
    ["3f2c8a1e9b4d-4c7e-8f01-2a3b4c5d6e7f0", false],
    ["3f2c8a1g-9b4d-4c7e-8f01-2a3b4c5d6e7f", false],
    ["3f2c8a1é-9b4d-4c7e-8f01-2a3b4c5d6e7f", false],
    ["", false],
    ["not-a-uuid", false],
  ])("%j is %s", (text, expected) => {
    expect(isUuid(text)).toBe(expected);
    expect(ZOD_UUID.test(text)).toBe(expected);
  });

  it("agrees with zod's expression on 20,000 seeded texts", () => {
    // Prepare: random UUIDs, and texts near them (a character changed, added or dropped, drawn
    // from hexadecimal digits of both cases, the dash, and characters just outside the ranges)
    const random = seededRandom(2026);
    const pick = (characters: string): string => characters[random(characters.length)] ?? "";
    const hex = "0123456789abcdefABCDEF";
    const near = `${hex}-gG/:@\`zZé `;
    const digits = (length: number): string => Array.from({ length }, () => pick(hex)).join("");
    const uuid = (): string =>
      `${digits(8)}-${digits(4)}-${pick("12345678")}${digits(3)}-${pick("89abAB")}${digits(3)}-${digits(12)}`;
    const texts = Array.from({ length: 20_000 }, (_, n) => {
      let text = uuid();
      if (n % 6 === 0) text = `${text.slice(0, 14)}${pick("0123456789")}${text.slice(15)}`;
      if (n % 6 === 3) text = `${text.slice(0, 19)}${pick("789abcABC")}${text.slice(20)}`;
      const at = random(text.length + 1);
      if (n % 5 === 1) text = `${text.slice(0, at)}${pick(near)}${text.slice(at + 1)}`;
      if (n % 7 === 2) text = `${text.slice(0, at)}${pick(near)}${text.slice(at)}`;
      if (n % 11 === 3) text = `${text.slice(0, at)}${text.slice(at + 1)}`;
      return text;
    });

    // Act
    const disagreements = texts.filter((text) => isUuid(text) !== ZOD_UUID.test(text));

    // Assess: both outcomes are well represented, and never does the check differ from zod
    const accepted = texts.filter((text) => ZOD_UUID.test(text)).length;
    expect(accepted).toBeGreaterThan(3_000);
    expect(texts.length - accepted).toBeGreaterThan(3_000);
    expect(disagreements).toEqual([]);
  });
});
