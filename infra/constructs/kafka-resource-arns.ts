/**
 * The ARNs that MSK IAM access control authorizes against (`kafka-cluster:*` actions): the
 * cluster, its topics and its consumer groups. Topic and group ARNs share the cluster's
 * `<name>/<uuid>` path, which is cut out of the cluster ARN at deploy time, so grants name
 * exact resources instead of wildcards.
 *
 * | resource | ARN |
 * |---|---|
 * | cluster | `arn:aws:kafka:<region>:<account>:cluster/<name>/<uuid>` |
 * | topic | `arn:aws:kafka:<region>:<account>:topic/<name>/<uuid>/<topic>` |
 * | group | `arn:aws:kafka:<region>:<account>:group/<name>/<uuid>/<group id>` |
 *
 * @example
 * ```ts
 * const arns = new KafkaResourceArns(cluster.attrArn);
 * arns.topic("order-events"); arns.group("order-created-v1");
 * ```
 */
import { Aws, Fn } from "aws-cdk-lib";

export class KafkaResourceArns {
  /** `<name>/<uuid>` of the cluster. */
  private readonly clusterPath: string;

  constructor(readonly cluster: string) {
    this.clusterPath = Fn.select(1, Fn.split(":cluster/", cluster));
  }

  topic(topicName: string): string {
    return this.resource("topic", topicName);
  }

  group(groupId: string): string {
    return this.resource("group", groupId);
  }

  private resource(type: "topic" | "group", name: string): string {
    return Fn.join("", [
      `arn:${Aws.PARTITION}:kafka:${Aws.REGION}:${Aws.ACCOUNT_ID}:${type}/`,
      this.clusterPath,
      `/${name}`,
    ]);
  }
}
