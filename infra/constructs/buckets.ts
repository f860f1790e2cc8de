/**
 * The declared S3 buckets (the outbox relay's on-failure destination) and the bucket that
 * receives their server access logs. Every bucket: SSE-S3 encryption (the Lambda event source
 * mapping writes failed batches without needing a KMS grant), public access blocked, TLS
 * enforced by bucket policy, owner-enforced object ownership, versioning, and a lifecycle that
 * moves objects to infrequent access after 30 days and expires them after a year. Buckets hold
 * failure records to redrive, so they outlive the stack (`RETAIN`).
 *
 * @example
 * ```ts
 * const buckets = new Buckets(this, "Buckets", { buckets: systemWiring.buckets });
 * buckets.get("outbox-dead-letters").bucketArn;
 * ```
 */
import { Duration, RemovalPolicy } from "aws-cdk-lib";
import * as s3 from "aws-cdk-lib/aws-s3";
import { Construct } from "constructs";
import { UndeclaredResourceError } from "./undeclared-resource-error";

export interface BucketsProps {
  readonly buckets: readonly string[];
}

const INFREQUENT_ACCESS_AFTER = Duration.days(30);
const EXPIRE_AFTER = Duration.days(365);

const secureBucketProps = {
  encryption: s3.BucketEncryption.S3_MANAGED,
  blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
  enforceSSL: true,
  objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
  versioned: true,
  removalPolicy: RemovalPolicy.RETAIN,
} as const;

export class Buckets extends Construct {
  readonly accessLogs: s3.Bucket;
  private readonly byName = new Map<string, s3.Bucket>();

  constructor(scope: Construct, id: string, props: BucketsProps) {
    super(scope, id);
    this.accessLogs = new s3.Bucket(this, "AccessLogs", {
      ...secureBucketProps,
      lifecycleRules: [
        { expiration: EXPIRE_AFTER, noncurrentVersionExpiration: Duration.days(30) },
      ],
    });
    for (const name of props.buckets) {
      this.byName.set(
        name,
        new s3.Bucket(this, name, {
          ...secureBucketProps,
          serverAccessLogsBucket: this.accessLogs,
          serverAccessLogsPrefix: `${name}/`,
          lifecycleRules: [
            {
              transitions: [
                {
                  storageClass: s3.StorageClass.INFREQUENT_ACCESS,
                  transitionAfter: INFREQUENT_ACCESS_AFTER,
                },
              ],
              expiration: EXPIRE_AFTER,
              noncurrentVersionExpiration: Duration.days(30),
            },
          ],
        }),
      );
    }
  }

  /** The bucket of a declared logical name. */
  get(name: string): s3.Bucket {
    const bucket = this.byName.get(name);
    if (bucket === undefined) throw new UndeclaredResourceError(`No bucket "${name}" is declared`);
    return bucket;
  }
}
