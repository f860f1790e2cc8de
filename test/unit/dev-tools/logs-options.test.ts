/** The `logs` command's arguments: what each flag asks for, and bad input named. */
import { describe, expect, it } from "vitest";
import { LogsUsageError, readLogsOptions } from "../../../infra/local/dev-tools/logs-options";

const DECLARED = ["orders-api", "order-created"];

describe("readLogsOptions", () => {
  it("reads the function and every flag", () => {
    // Act
    const options = readLogsOptions(
      ["order-created", "--follow", "--raw", "--level", "warn", "--trace", "abc", "--lines", "5"],
      DECLARED,
    );

    // Assess
    expect(options).toEqual({
      functionName: "order-created",
      follow: true,
      raw: true,
      level: "WARN",
      traceId: "abc",
      lines: 5,
    });
  });

  it("defaults to the last 20 lines, every level, no follow", () => {
    // Act / Assess
    expect(readLogsOptions(["orders-api"], DECLARED)).toEqual({
      functionName: "orders-api",
      follow: false,
      raw: false,
      level: undefined,
      traceId: undefined,
      lines: 20,
    });
  });

  it.each([
    [[], "name a function"],
    [["nope"], 'no function "nope" in the wiring; declared: orders-api, order-created'],
    [["orders-api", "order-created"], "one function only"],
    [["orders-api", "--level", "loud"], '--level: "loud" is not one of'],
    [["orders-api", "--lines", "-3"], "--lines"],
    [["orders-api", "--lines", "2.5"], '--lines: "2.5" is not a whole number'],
    [["orders-api", "--colour"], "Unknown option '--colour'"],
  ])("refuses %j, saying why", (args, why) => {
    // Act / Assess
    expect(() => readLogsOptions(args, DECLARED)).toThrow(LogsUsageError);
    expect(() => readLogsOptions(args, DECLARED)).toThrow(why);
  });
});
