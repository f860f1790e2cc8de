/**
 * Signs MSK IAM auth tokens: a SigV4-presigned `kafka-cluster:Connect` URL, base64url-encoded,
 * exactly as `aws-msk-iam-sasl-signer-js` builds it (a unit test compares the two byte for
 * byte). Built on the SDK's own signer, SHA-256 and default credential chain, which every
 * function bundles already with its AWS SDK clients; the library's CommonJS build would add
 * STS, the browser credential providers and a second signer that signing never calls.
 */
import { formatUrl } from "@aws-sdk/core/util";
import { defaultProvider } from "@aws-sdk/credential-provider-node";
import { Sha256 } from "@smithy/core/checksum";
import { SignatureV4 } from "@smithy/signature-v4";
import type { AwsCredentialIdentityProvider } from "@smithy/types";

/** The longest a token lives, in seconds. */
const EXPIRY_SECONDS = 900;
/** The library's user agent, so MSK sees the same client as before the library was dropped. */
const USER_AGENT = "aws-msk-iam-sasl-signer-js/1.0.3";

/**
 * A signed token and when it expires (ms since the epoch).
 *
 * @example
 * ```ts
 * const { token, expiryTime } = await generateMskAuthToken({ region: "eu-west-1" });
 * ```
 */
export interface MskAuthToken {
  readonly token: string;
  readonly expiryTime: number;
}

/**
 * The region to sign for and, unless the default chain, where the credentials come from.
 *
 * @example
 * ```ts
 * const options: MskAuthTokenOptions = { region: "eu-west-1", credentials: fromEnv() };
 * ```
 */
export interface MskAuthTokenOptions {
  readonly region: string;
  readonly credentials?: AwsCredentialIdentityProvider;
}

/**
 * The default credential chain, configured as the library configures it.
 *
 * @example
 * ```ts
 * const identity = await mskDefaultCredentials("eu-west-1")();
 * ```
 */
export const mskDefaultCredentials = (region: string): AwsCredentialIdentityProvider =>
  defaultProvider({
    maxRetries: 3,
    roleSessionName: "MSKSASLDefaultSession",
    clientConfig: { region },
  });

/**
 * Signs a token for the region's MSK clusters, valid 15 minutes or until the credentials
 * expire, whichever comes first. Like the library, it asks the credential chain each time.
 *
 * @example
 * ```ts
 * const sasl = { mechanism: "oauthbearer", oauthBearerProvider: async () => ({
 *   value: (await generateMskAuthToken({ region })).token }) };
 * ```
 */
export const generateMskAuthToken = async (options: MskAuthTokenOptions): Promise<MskAuthToken> => {
  const { region } = options;
  const credentials = await (options.credentials ?? mskDefaultCredentials(region))();
  if (!credentials.accessKeyId || !credentials.secretAccessKey) {
    throw new Error("AWS credentials cannot be empty to generate an MSK auth token.");
  }
  const signingDate = new Date();
  const ttl =
    credentials.expiration === undefined
      ? EXPIRY_SECONDS
      : Math.min((credentials.expiration.getTime() - signingDate.getTime()) / 1000, EXPIRY_SECONDS);
  const hostname = `kafka.${region}.amazonaws.com`;
  const signer = new SignatureV4({
    service: "kafka-cluster",
    region,
    credentials,
    sha256: Sha256,
    applyChecksum: false,
  });
  const signed = await signer.presign(
    {
      method: "GET",
      protocol: "https",
      hostname,
      path: "/",
      headers: { host: hostname },
      query: { Action: "kafka-cluster:Connect" },
    },
    { expiresIn: ttl, signingDate },
  );
  const url = formatUrl({ ...signed, query: { ...signed.query, "User-Agent": USER_AGENT } });
  return {
    token: Buffer.from(url, "utf-8").toString("base64url"),
    // X-Amz-Date counts whole seconds; the token expires `ttl` after it.
    expiryTime: Math.floor(signingDate.getTime() / 1000) * 1000 + ttl * 1000,
  };
};
