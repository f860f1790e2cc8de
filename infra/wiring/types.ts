/**
 * The shape of the one declaration of the system's wiring (see docs/architecture.md, "One declaration of the wiring"): topics, tables,
 * functions with their triggers and HTTP routes. The CDK app builds AWS resources from it;
 * the local runtime builds topics, tables, consumers and stream pollers from it.
 *
 * @example
 * ```ts
 * const trigger: KafkaTrigger = { kind: "kafka", topic: "order-events", ... };
 * ```
 */

/** An event filter pattern in Lambda's syntax (exact values, prefix, exists, anything-but, numeric). */
export type FilterPattern = { readonly [field: string]: FilterPattern | readonly FilterValue[] };
export type FilterValue =
  | string
  | number
  | boolean
  | null
  | { readonly prefix: string }
  | { readonly suffix: string }
  | { readonly exists: boolean }
  | { readonly "anything-but": string | number | readonly (string | number)[] }
  | { readonly numeric: readonly (string | number)[] };

export interface TopicDeclaration {
  readonly name: string;
  readonly partitions: number;
  readonly retentionHours: number;
  /** The largest record batch the topic takes (`max.message.bytes`); the broker's when absent. */
  readonly maxMessageBytes?: number;
}

export interface TableDeclaration {
  /** Logical name, resolved to a physical name by CDK or the local runtime. */
  readonly name: string;
  readonly partitionKey: string;
  readonly sortKey: string;
  readonly timeToLiveAttribute: string;
  readonly stream?: "NEW_IMAGE" | "NEW_AND_OLD_IMAGES";
}

/**
 * On-demand: an error retries the whole batch until it succeeds or the records expire.
 * Provisioned: retries are bounded, partial batch responses are honoured, and records that
 * exhaust their retries go to a Kafka on-failure topic.
 */
export type KafkaMappingMode =
  | { readonly kind: "on-demand" }
  | {
      readonly kind: "provisioned";
      readonly minimumPollers: number;
      readonly maximumPollers: number;
      readonly retryAttempts: number;
      readonly maximumRecordAgeSeconds: number;
      readonly bisectBatchOnError: boolean;
      readonly reportBatchItemFailures: boolean;
      /** A topic of the same cluster, never a source topic. */
      readonly onFailureTopic: string;
    };

export interface KafkaTrigger {
  readonly kind: "kafka";
  readonly topic: string;
  /** Unique per mapping; set once. */
  readonly consumerGroupId: string;
  /** Patterns are OR-ed; none means every record. At most 5. */
  readonly filters: readonly FilterPattern[];
  readonly batchSize: number;
  readonly maximumBatchingWindowSeconds: number;
  readonly startingPosition: "LATEST" | "TRIM_HORIZON";
  readonly mode: KafkaMappingMode;
}

export interface StreamTrigger {
  readonly kind: "dynamodb-stream";
  readonly table: string;
  readonly filters: readonly FilterPattern[];
  readonly batchSize: number;
  readonly maximumBatchingWindowSeconds: number;
  readonly startingPosition: "LATEST" | "TRIM_HORIZON";
  readonly retryAttempts: number;
  readonly maximumRecordAgeSeconds: number;
  readonly bisectBatchOnError: boolean;
  readonly reportBatchItemFailures: boolean;
  /** Keeps one order's events in order: always 1. */
  readonly parallelizationFactor: 1;
  /** Where records that exhaust their retries go (the whole batch payload). */
  readonly onFailure: { readonly kind: "s3"; readonly bucket: string };
}

export interface HttpRoute {
  readonly method: "GET" | "POST";
  /** API Gateway HTTP API path, e.g. "/orders/{id}/ship". */
  readonly path: string;
}

/**
 * A DynamoDB item action a function's code performs on a table, named as its IAM action
 * (`dynamodb:<action>`). A transaction has no IAM action of its own: each of its items is
 * authorized as the single-item call it stands for, so a `TransactWriteItems` of `Put` and
 * `Update` items needs `PutItem` and `UpdateItem` (a `Delete` item `DeleteItem`, a
 * `ConditionCheck` item `ConditionCheckItem`), and a `TransactGetItems` needs `GetItem`.
 */
export type TableAction =
  | "GetItem"
  | "BatchGetItem"
  | "Query"
  | "Scan"
  | "PutItem"
  | "UpdateItem"
  | "DeleteItem"
  | "BatchWriteItem"
  | "ConditionCheckItem";

/**
 * An S3 action a function's code performs on a bucket, named as its IAM action (`s3:<action>`):
 * the object actions are granted on the bucket's objects, `ListBucket` (which `ListObjectsV2`
 * needs) on the bucket itself.
 */
export type BucketAction = "GetObject" | "PutObject" | "DeleteObject" | "ListBucket";

/**
 * Topics a function's own code reads with a consumer of its own (no trigger): each read joins
 * a fresh consumer group named `<consumerGroupPrefix><unique suffix>`, commits nothing, and
 * deletes the group after.
 */
export interface KafkaTopicReads {
  readonly topics: readonly [string, ...string[]];
  readonly consumerGroupPrefix: string;
}

/**
 * What a function may touch; drives its environment and its least-privilege grants.
 * A function with Kafka access also gets the connection settings `KAFKA_BROKERS`,
 * `KAFKA_AUTH` (`iam` on MSK, `none` locally) and `KAFKA_TLS`; a function with a Kafka
 * trigger gets `CONSUMER_MODE` (`provisioned` or `on-demand`) from its mapping's mode.
 */
export interface FunctionAccess {
  readonly tables?: readonly {
    readonly table: string;
    /**
     * Exactly the item actions the function's code performs on the table, and so exactly the
     * actions its role is granted there: at least one.
     */
    readonly actions: readonly [TableAction, ...TableAction[]];
    /** Environment variable that receives the physical table name. */
    readonly environmentVariable: string;
  }[];
  readonly buckets?: readonly {
    readonly bucket: string;
    /** Exactly the S3 actions the function's code performs there: at least one. */
    readonly actions: readonly [BucketAction, ...BucketAction[]];
    readonly environmentVariable: string;
  }[];
  readonly kafka?: {
    readonly produceTo?: readonly string[];
    /** The topics whose records the function's trigger hands it. */
    readonly consumeFrom?: readonly string[];
    readonly read?: KafkaTopicReads;
  };
}

export interface FunctionDeclaration {
  /** Also the local runtime's name and the CDK construct id. */
  readonly name: string;
  readonly description: string;
  /** Handler file, relative to the repository root; exports `handler`. */
  readonly entry: string;
  readonly memoryMb: number;
  readonly timeoutSeconds: number;
  /** Plain settings; physical names of tables and brokers are added by CDK or the runtime. */
  readonly environment: Readonly<Record<string, string>>;
  readonly access: FunctionAccess;
  readonly trigger?: KafkaTrigger | StreamTrigger;
  readonly routes?: readonly HttpRoute[];
}

export interface SystemWiring {
  readonly topics: readonly TopicDeclaration[];
  readonly tables: readonly TableDeclaration[];
  readonly buckets: readonly string[];
  readonly functions: readonly FunctionDeclaration[];
}
