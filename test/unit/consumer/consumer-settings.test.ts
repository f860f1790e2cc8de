import { describe, expect, it } from "vitest";
import { DEFAULT_CONSUMER_SETTINGS, readConsumerSettings } from "../../../shared/consumer";

describe("readConsumerSettings", () => {
  it("reads the mode and the dead-letter topic, with defaults for the rest", () => {
    // Act
    const settings = readConsumerSettings({
      CONSUMER_MODE: "provisioned",
      DEAD_LETTER_TOPIC: "order-events.dlq",
    });

    // Assess
    expect(settings).toEqual({
      mode: "provisioned",
      deadLetterTopic: "order-events.dlq",
      concurrency: DEFAULT_CONSUMER_SETTINGS.concurrency,
      retry: {
        attempts: DEFAULT_CONSUMER_SETTINGS.retryAttempts,
        baseDelayMs: DEFAULT_CONSUMER_SETTINGS.retryBaseDelayMs,
        maxDelayMs: DEFAULT_CONSUMER_SETTINGS.retryMaxDelayMs,
      },
      timeMarginMs: DEFAULT_CONSUMER_SETTINGS.timeMarginMs,
      transientMaxAgeSeconds: DEFAULT_CONSUMER_SETTINGS.transientMaxAgeSeconds,
      failedBatchMinMs: DEFAULT_CONSUMER_SETTINGS.failedBatchMinMs,
    });
  });

  it("reads every setting from its variable", () => {
    // Act
    const settings = readConsumerSettings({
      CONSUMER_MODE: "on-demand",
      DEAD_LETTER_TOPIC: "x.dlq",
      CONSUMER_CONCURRENCY: "4",
      CONSUMER_RETRY_ATTEMPTS: "5",
      CONSUMER_RETRY_BASE_DELAY_MS: "50",
      CONSUMER_RETRY_MAX_DELAY_MS: "800",
      CONSUMER_TIME_MARGIN_MS: "3000",
      CONSUMER_TRANSIENT_MAX_AGE_SECONDS: "7200",
      CONSUMER_FAILED_BATCH_MIN_MS: "2500",
    });

    // Assess
    expect(settings).toEqual({
      mode: "on-demand",
      deadLetterTopic: "x.dlq",
      concurrency: 4,
      retry: { attempts: 5, baseDelayMs: 50, maxDelayMs: 800 },
      timeMarginMs: 3000,
      transientMaxAgeSeconds: 7200,
      failedBatchMinMs: 2500,
    });
  });

  it("fails fast naming a missing mode, since guessing it could lose records", () => {
    // Assess
    expect(() => readConsumerSettings({ DEAD_LETTER_TOPIC: "x.dlq" })).toThrow(
      /CONSUMER_MODE: .*"provisioned"\|"on-demand"/,
    );
    expect(() =>
      readConsumerSettings({ CONSUMER_MODE: "batch", DEAD_LETTER_TOPIC: "x.dlq" }),
    ).toThrow(/CONSUMER_MODE/);
    expect(() =>
      readConsumerSettings({
        CONSUMER_MODE: "provisioned",
        DEAD_LETTER_TOPIC: "x.dlq",
        CONSUMER_CONCURRENCY: "0",
      }),
    ).toThrow(/CONSUMER_CONCURRENCY/);
  });

  it("refuses an age bound outside Lambda's own record-age range, and a floor above a minute", () => {
    // Prepare
    const base = { CONSUMER_MODE: "provisioned", DEAD_LETTER_TOPIC: "x.dlq" };

    // Assess
    expect(() =>
      readConsumerSettings({ ...base, CONSUMER_TRANSIENT_MAX_AGE_SECONDS: "59" }),
    ).toThrow(/CONSUMER_TRANSIENT_MAX_AGE_SECONDS/);
    expect(() =>
      readConsumerSettings({ ...base, CONSUMER_TRANSIENT_MAX_AGE_SECONDS: String(7 * 86_400 + 1) }),
    ).toThrow(/CONSUMER_TRANSIENT_MAX_AGE_SECONDS/);
    expect(() => readConsumerSettings({ ...base, CONSUMER_FAILED_BATCH_MIN_MS: "60001" })).toThrow(
      /CONSUMER_FAILED_BATCH_MIN_MS/,
    );
  });
});
