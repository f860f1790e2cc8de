import { describe, expect, it } from "vitest";
import { DemoUsageError, readDemoOptions } from "../../../infra/local/demo/demo-options";

describe("readDemoOptions", () => {
  it("defaults to a text report of 6 orders, waiting up to 60 s", () => {
    // Act
    const options = readDemoOptions([]);

    // Assess
    expect(options).toEqual({ json: false, orders: 6, timeoutSeconds: 60 });
  });

  it("reads --json, --orders and --timeout", () => {
    // Act
    const options = readDemoOptions(["--json", "--orders", "30", "--timeout=120"]);

    // Assess
    expect(options).toEqual({ json: true, orders: 30, timeoutSeconds: 120 });
  });

  it.each([
    [["--orders", "0"], /--orders: .*>=1/],
    [["--orders", "many"], /--orders: /],
    [["--timeout", "601"], /--timeout: .*<=600/],
    [["--verbose"], /Unknown option '--verbose'/],
    [["extra"], /positional argument/],
  ])("rejects %j with the usage", (args, message) => {
    // Act
    const read = () => readDemoOptions(args);

    // Assess
    expect(read).toThrow(DemoUsageError);
    expect(read).toThrow(message);
    expect(read).toThrow(/usage: npm run demo -- \[--json\]/);
  });
});
