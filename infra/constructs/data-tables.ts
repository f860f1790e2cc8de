/**
 * The declared DynamoDB tables: on-demand capacity, encrypted with the application's customer
 * managed key (see `data-keys.ts`; it covers the stream and the backups too), point-in-time
 * recovery, a TTL attribute (published outbox items and idempotency markers
 * expire), and a stream where the declaration asks for one (the orders table's outbox).
 * Tables hold the system's state, so they outlive the stack (`RETAIN`).
 *
 * @example
 * ```ts
 * const tables = new DataTables(this, "Tables", { tables: systemWiring.tables, encryptionKey });
 * tables.get("orders").tableStreamArn;
 * ```
 */
import { RemovalPolicy } from "aws-cdk-lib";
import * as dynamodb from "aws-cdk-lib/aws-dynamodb";
import type * as kms from "aws-cdk-lib/aws-kms";
import { Construct } from "constructs";
import type { TableDeclaration } from "../wiring/types";
import { UndeclaredResourceError } from "./undeclared-resource-error";

const STREAM_VIEW_TYPE = {
  NEW_IMAGE: dynamodb.StreamViewType.NEW_IMAGE,
  NEW_AND_OLD_IMAGES: dynamodb.StreamViewType.NEW_AND_OLD_IMAGES,
} as const;

export interface DataTablesProps {
  readonly tables: readonly TableDeclaration[];
  /** The application's key; retained like the tables. */
  readonly encryptionKey: kms.IKey;
}

export class DataTables extends Construct {
  private readonly byName = new Map<string, dynamodb.Table>();

  constructor(scope: Construct, id: string, props: DataTablesProps) {
    super(scope, id);
    for (const declaration of props.tables) {
      const table = new dynamodb.Table(this, declaration.name, {
        partitionKey: { name: declaration.partitionKey, type: dynamodb.AttributeType.STRING },
        sortKey: { name: declaration.sortKey, type: dynamodb.AttributeType.STRING },
        billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
        encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
        encryptionKey: props.encryptionKey,
        pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
        timeToLiveAttribute: declaration.timeToLiveAttribute,
        ...(declaration.stream === undefined
          ? {}
          : { stream: STREAM_VIEW_TYPE[declaration.stream] }),
        removalPolicy: RemovalPolicy.RETAIN,
      });
      this.byName.set(declaration.name, table);
    }
  }

  /** The table of a declared logical name. */
  get(name: string): dynamodb.Table {
    const table = this.byName.get(name);
    if (table === undefined) throw new UndeclaredResourceError(`No table "${name}" is declared`);
    return table;
  }
}
