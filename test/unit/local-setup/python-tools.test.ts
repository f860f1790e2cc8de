/**
 * The project's Python tools are pinned: every requirement names one exact version, so the
 * moto that `moto_atomic.py` patches, the cfn-lint and the checkov that judge the templates are
 * the reviewed ones, whatever day the virtual environment is created.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

const REQUIREMENTS = new URL("../../../infra/local/python-tools.txt", import.meta.url);

const requirements = readFileSync(REQUIREMENTS, "utf8")
  .split("\n")
  .map((line) => line.trim())
  .filter((line) => line !== "" && !line.startsWith("#"));

/** `name[extras]==version`, and nothing else on the line (no ranges, no URLs, no options). */
const PINNED = /^([A-Za-z0-9][A-Za-z0-9._-]*)(\[[a-z0-9,_-]+\])?==([0-9][A-Za-z0-9.+!-]*)$/;

const pinnedName = (line: string): string =>
  (PINNED.exec(line)?.[1] ?? "").toLowerCase().replaceAll(/[._-]+/g, "-");

describe("infra/local/python-tools.txt", () => {
  it("pins every requirement to one exact version with ==", () => {
    // Act
    const unpinned = requirements.filter((line) => !PINNED.test(line));

    // Assess
    expect(requirements.length).toBeGreaterThan(3);
    expect(unpinned).toEqual([]);
  });

  it("names each package once", () => {
    // Act
    const names = requirements.map(pinnedName);

    // Assess
    expect(names.filter((name, index) => names.indexOf(name) !== index)).toEqual([]);
  });

  it("pins the tools the project runs: moto with its server extra, cfn-lint, checkov", () => {
    // Assess
    expect(requirements).toContain("moto[server]==5.2.1");
    expect(requirements.some((line) => line.startsWith("cfn-lint=="))).toBe(true);
    expect(requirements.some((line) => line.startsWith("checkov=="))).toBe(true);
  });
});
