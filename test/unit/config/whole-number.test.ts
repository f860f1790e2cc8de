import { describe, expect, it } from "vitest";
import * as z from "zod/mini";
import { ConfigurationError, parseEnvironment, wholeNumber } from "../../../shared/config";

const schema = z.object({ LIMIT: wholeNumber({ min: 1, max: 20, fallback: 5 }) });

describe("wholeNumber", () => {
  it("reads the variable's text as a number, and the fallback when it is unset", () => {
    // Act
    const set = parseEnvironment(schema, { LIMIT: "20" });
    const unset = parseEnvironment(schema, {});

    // Assess
    expect(set).toEqual({ LIMIT: 20 });
    expect(unset).toEqual({ LIMIT: 5 });
  });

  it.each([
    ["0", "LIMIT: Too small: expected number to be >=1"],
    ["21", "LIMIT: Too big: expected number to be <=20"],
    ["2.5", "LIMIT: Invalid input: expected int, received number"],
    ["many", "LIMIT: Invalid input: expected number, received NaN"],
  ])("refuses %j, naming the variable and why", (value, problem) => {
    // Act
    const parse = () => parseEnvironment(schema, { LIMIT: value });

    // Assess
    expect(parse).toThrow(ConfigurationError);
    expect(parse).toThrow(problem);
  });

  it("has no upper bound but the safe integers' when none is given", () => {
    // Prepare
    const unbounded = z.object({ TTL: wholeNumber({ min: 1, fallback: 60 }) });

    // Act
    const parsed = parseEnvironment(unbounded, { TTL: String(2 ** 40) });

    // Assess
    expect(parsed).toEqual({ TTL: 2 ** 40 });
    expect(() => parseEnvironment(unbounded, { TTL: String(2 ** 60) })).toThrow(ConfigurationError);
  });
});
