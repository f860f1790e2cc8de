import { describe, expect, it } from "vitest";
import {
  mskIamTokenProvider,
  TOKEN_REFRESH_MARGIN_MS,
  tokenNeedsRefresh,
} from "../../../shared/kafka/msk-iam-token";

const MINUTE = 60_000;

describe("tokenNeedsRefresh", () => {
  it.each([
    ["no token yet", 0, undefined, true],
    ["fresh token", 0, 15 * MINUTE, false],
    ["just outside the margin", 0, 2 * MINUTE + 1, false],
    ["exactly at the margin", 0, 2 * MINUTE, true],
    ["inside the margin", 14 * MINUTE, 15 * MINUTE, true],
    ["expired", 16 * MINUTE, 15 * MINUTE, true],
  ])("%s", (_case, now, expiryTime, expected) => {
    // Act
    const needed = tokenNeedsRefresh(now, expiryTime, 2 * MINUTE);

    // Assess
    expect(needed).toBe(expected);
  });

  it("refreshes a 15-minute token well before its end by default", () => {
    // Assess
    expect(TOKEN_REFRESH_MARGIN_MS).toBeGreaterThanOrEqual(MINUTE);
    expect(TOKEN_REFRESH_MARGIN_MS).toBeLessThan(15 * MINUTE);
  });
});

describe("mskIamTokenProvider", () => {
  const fakeSigner = () => {
    const regions: string[] = [];
    let clock = 0;
    const generate = async ({ region }: { region: string }) => {
      regions.push(region);
      return { token: `token-${regions.length}`, expiryTime: clock + 15 * MINUTE };
    };
    return {
      regions,
      generate,
      now: () => clock,
      advance: (ms: number) => {
        clock += ms;
      },
    };
  };

  it("signs once and reuses the token until it nears expiry", async () => {
    // Prepare
    const signer = fakeSigner();
    const provider = mskIamTokenProvider({ region: "eu-west-1", ...signer });

    // Act
    const first = await provider();
    signer.advance(10 * MINUTE);
    const reused = await provider();
    signer.advance(3 * MINUTE + 1);
    const refreshed = await provider();

    // Assess
    expect(first).toEqual({ value: "token-1" });
    expect(reused).toEqual({ value: "token-1" });
    expect(refreshed).toEqual({ value: "token-2" });
    expect(signer.regions).toEqual(["eu-west-1", "eu-west-1"]);
  });

  it("shares one signing call among concurrent connections", async () => {
    // Prepare
    const signer = fakeSigner();
    const provider = mskIamTokenProvider({ region: "eu-west-1", ...signer });

    // Act
    const tokens = await Promise.all([provider(), provider(), provider()]);

    // Assess
    expect(tokens.map(({ value }) => value)).toEqual(["token-1", "token-1", "token-1"]);
    expect(signer.regions).toHaveLength(1);
  });

  it("does not cache a failed signing", async () => {
    // Prepare
    let calls = 0;
    const provider = mskIamTokenProvider({
      region: "eu-west-1",
      now: () => 0,
      generate: async () => {
        calls += 1;
        if (calls === 1) throw new Error("credentials not ready");
        return { token: "token-ok", expiryTime: 15 * MINUTE };
      },
    });

    // Act
    const failed = provider();
    await expect(failed).rejects.toThrow("credentials not ready");
    const next = await provider();

    // Assess
    expect(next).toEqual({ value: "token-ok" });
  });
});
