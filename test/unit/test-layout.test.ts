/**
 * Every test group of vitest.config.ts has tests: a test file moved out of its group's folder
 * would otherwise leave that group green while it runs nothing (`npm run test:e2e` would pass
 * with no end-to-end test at all).
 */
import { globSync } from "node:fs";
import { describe, expect, it } from "vitest";
import config from "../../vitest.config";

const projects = (config.test?.projects ?? []).flatMap((project) =>
  typeof project === "object" && "test" in project && project.test !== undefined
    ? [{ name: String(project.test.name), include: project.test.include ?? [] }]
    : [],
);

describe("the test groups", () => {
  it("are the four the README names", () => {
    // Assess
    expect(projects.map(({ name }) => name)).toEqual(["unit", "integration", "infra", "e2e"]);
  });

  it.each(projects)("$name holds at least one test file", ({ include }) => {
    // Act
    const files = include.flatMap((pattern) => globSync(pattern));

    // Assess
    expect(files.length).toBeGreaterThan(0);
  });
});
