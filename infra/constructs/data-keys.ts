/**
 * Customer managed KMS keys for data at rest, one per stack, rotated yearly:
 *
 * - the application's key encrypts the tables (with their stream and point-in-time backups)
 *   and the application's log groups (functions, HTTP API access logs). It is retained with
 *   the tables: deleting it would make the retained tables and their backups unreadable, and
 *   DynamoDB archives a table whose key stays inaccessible for seven days.
 * - the platform's key is the MSK cluster's volume key (`MskCluster.dataKey`); it also
 *   encrypts the platform's log groups (flow logs, broker logs, the bootstrap-broker reader).
 *
 * A key that encrypts log groups admits CloudWatch Logs in its key policy, only for log groups
 * of its own account and region (the `aws:logs:arn` encryption context). Whoever writes or
 * reads the logs needs no KMS permission: CloudWatch Logs uses the key itself.
 *
 * @example
 * ```ts
 * const key = applicationDataKey(this);
 * new logs.LogGroup(this, "Logs", { encryptionKey: key });
 * ```
 */
import { Aws, RemovalPolicy } from "aws-cdk-lib";
import * as iam from "aws-cdk-lib/aws-iam";
import * as kms from "aws-cdk-lib/aws-kms";
import type * as logs from "aws-cdk-lib/aws-logs";
import type { Construct } from "constructs";

/**
 * What CloudWatch Logs needs on a key that encrypts log groups (as the CloudWatch Logs user
 * guide documents it), limited to the log groups of this account and region.
 */
export const allowLogGroupsToUse = (key: kms.Key): void => {
  key.addToResourcePolicy(
    new iam.PolicyStatement({
      sid: "CloudWatchLogsEncryptLogGroups",
      principals: [new iam.ServicePrincipal(`logs.${Aws.REGION}.amazonaws.com`)],
      actions: [
        "kms:Encrypt*",
        "kms:Decrypt*",
        "kms:ReEncrypt*",
        "kms:GenerateDataKey*",
        "kms:Describe*",
      ],
      resources: ["*"],
      conditions: {
        ArnLike: {
          "kms:EncryptionContext:aws:logs:arn": `arn:${Aws.PARTITION}:logs:${Aws.REGION}:${Aws.ACCOUNT_ID}:log-group:*`,
        },
      },
    }),
  );
};

/** The application's key: tables and their streams and backups, and its log groups. */
export const applicationDataKey = (scope: Construct): kms.Key => {
  const key = new kms.Key(scope, "DataKey", {
    description: "Encrypts the order tables, their streams and backups, and the application logs",
    enableKeyRotation: true,
    // Kept with the tables (also RETAIN): without it, they and their backups are unreadable.
    removalPolicy: RemovalPolicy.RETAIN,
  });
  allowLogGroupsToUse(key);
  return key;
};

/**
 * Encrypts a log group that was created before its key existed (the VPC's flow logs are
 * created before the MSK cluster that owns the platform's key).
 */
export const encryptLogGroupWith = (logGroup: logs.LogGroup, key: kms.IKey): void => {
  (logGroup.node.defaultChild as logs.CfnLogGroup).kmsKeyId = key.keyArn;
};
