import { defineConfig } from "vitest/config";

const servicesSetup = "test/support/local-services.global-setup.ts";

export default defineConfig({
  test: {
    // Two test files at a time, whatever the machine: they share one broker and one moto,
    // and two is what the suite is tested with.
    maxWorkers: 2,
    reporters: ["default", "json"],
    outputFile: { json: ".local/test-results.json" },
    projects: [
      {
        extends: true,
        test: { name: "unit", include: ["test/unit/**/*.test.ts"] },
      },
      {
        extends: true,
        test: {
          name: "integration",
          include: ["test/integration/**/*.test.ts"],
          globalSetup: [servicesSetup],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        extends: true,
        test: { name: "infra", include: ["test/infra/**/*.test.ts"], testTimeout: 120_000 },
      },
      {
        extends: true,
        test: {
          name: "e2e",
          include: ["test/e2e/**/*.test.ts"],
          globalSetup: [servicesSetup],
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
