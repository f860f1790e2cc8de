/**
 * MSK IAM auth tokens for SASL OAUTHBEARER, signed by {@link generateMskAuthToken} with the
 * Lambda's credentials. A token lives at most 15 minutes (less when the credentials expire
 * sooner); signing calls the credential chain, so one token is cached and shared by every
 * connection, and replaced a margin before it expires so no handshake presents a token that
 * dies mid-flight.
 */
import { generateMskAuthToken, type MskAuthToken } from "./msk-iam-signer";

/**
 * Replace a token this long before it expires.
 *
 * @example
 * ```ts
 * mskIamTokenProvider({ region, marginMs: TOKEN_REFRESH_MARGIN_MS });
 * ```
 */
export const TOKEN_REFRESH_MARGIN_MS = 2 * 60_000;

/**
 * True when no token is cached or the cached one expires within `marginMs` of `now`.
 *
 * @example
 * ```ts
 * tokenNeedsRefresh(Date.now(), token.expiryTime, TOKEN_REFRESH_MARGIN_MS); // false while fresh
 * ```
 */
export const tokenNeedsRefresh = (
  now: number,
  expiryTime: number | undefined,
  marginMs: number,
): boolean => expiryTime === undefined || now >= expiryTime - marginMs;

/**
 * The region tokens are signed for, the refresh margin, and (for tests) the signer and clock.
 *
 * @example
 * ```ts
 * const options: MskIamTokenProviderOptions = { region: "eu-west-1" };
 * ```
 */
export interface MskIamTokenProviderOptions {
  readonly region: string;
  readonly marginMs?: number;
  /** Signs a token; {@link generateMskAuthToken} with the default credential chain unless replaced. */
  readonly generate?: (options: { region: string }) => Promise<MskAuthToken>;
  readonly now?: () => number;
}

/**
 * A kafkajs `oauthBearerProvider`: the cached token, re-signed when it nears expiry.
 *
 * @example
 * ```ts
 * const sasl = { mechanism: "oauthbearer", oauthBearerProvider: mskIamTokenProvider({ region }) };
 * ```
 */
export const mskIamTokenProvider = (
  options: MskIamTokenProviderOptions,
): (() => Promise<{ value: string }>) => {
  const { region, marginMs = TOKEN_REFRESH_MARGIN_MS, generate = generateMskAuthToken } = options;
  const now = options.now ?? Date.now;
  let cached: MskAuthToken | undefined;
  // Connections to several brokers authenticate at once; they share one signing call.
  let signing: Promise<MskAuthToken> | undefined;

  return async () => {
    if (cached !== undefined && !tokenNeedsRefresh(now(), cached.expiryTime, marginMs)) {
      return { value: cached.token };
    }
    signing ??= generate({ region }).finally(() => {
      signing = undefined;
    });
    cached = await signing;
    return { value: cached.token };
  };
};
