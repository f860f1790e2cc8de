/**
 * The one declaration of the system's wiring (see docs/architecture.md, "One declaration of
 * the wiring"). The CDK app and the local runtime both read it. Every event type has its
 * consumer function here (`consumerFunctionOf`, typed over the event-type union, so a type
 * without one is a compile error); the HTTP routes are the orders API's own route table.
 *
 * @example
 * ```ts
 * for (const fn of systemWiring.functions) if (fn.trigger?.kind === "kafka") fn.trigger.topic;
 * ```
 */
import { DEAD_LETTERS_READER_GROUP_PREFIX } from "../../shared/dead-letters/inventory/read-whole-topic";
import type { OrderEventType } from "../../shared/orders/order-events";
import { orderApiRouteDeclarations } from "../../shared/orders-api";
import type { FilterPattern, FunctionDeclaration, KafkaMappingMode, SystemWiring } from "./types";

export const ORDER_EVENTS_TOPIC = "order-events";
/** Our dead-letter topic: original bytes and headers plus `dlq_*` metadata headers. */
export const ORDER_EVENTS_DLQ_TOPIC = `${ORDER_EVENTS_TOPIC}.dlq`;
/** Kafka's default `max.message.bytes`, stated so the dead-letter topic can exceed it. */
export const ORDER_EVENTS_MAX_MESSAGE_BYTES = 1_048_588;
/**
 * Room a dead letter needs beyond its record: the `dlq_*` headers take 1.3 KB, up to about
 * 4 KB with a long error message in a non-Latin script. Without it, a poison record close to
 * its topic's limit could never be dead-lettered.
 */
export const DEAD_LETTER_HEADROOM_BYTES = 64 * 1024;
/** Lambda's on-failure destination for records that exhausted their retries (its own format). */
export const ORDER_EVENTS_ON_FAILURE_TOPIC = `${ORDER_EVENTS_TOPIC}.on-failure`;
export const ORDERS_TABLE = "orders";
export const READ_MODEL_TABLE = "order-read-model";
export const OUTBOX_DEAD_LETTER_BUCKET = "outbox-dead-letters";

/**
 * The consumers' mapping. Its retry settings are chosen with the consumers' own bound, which
 * the wiring derives from them (`consumerBoundsOf`): a transient failure of a record older
 * than 5 h (five sixths of the record age) becomes a `transient-exhausted` dead letter in our
 * format, and Lambda's own bounds come later, leaving its on-failure topic as the backstop
 * for a record whose dead letter cannot be sent. See docs/consumers.md, "Transient failures
 * have an end".
 */
const consumerMode: KafkaMappingMode = {
  kind: "provisioned",
  minimumPollers: 1,
  maximumPollers: 2,
  // Lambda's largest count: -1 would become 10 beside an on-failure topic. The consumers make
  // each failed invocation last long enough (CONSUMER_FAILED_BATCH_MIN_MS, derived from these
  // two settings) that the retries cannot run out before the record age below.
  retryAttempts: 10_000,
  maximumRecordAgeSeconds: 6 * 3600,
  bisectBatchOnError: true,
  reportBatchItemFailures: true,
  onFailureTopic: ORDER_EVENTS_ON_FAILURE_TOPIC,
};

const readModelAccess = {
  tables: [
    {
      table: READ_MODEL_TABLE,
      // One TransactWriteItems per event: two Updates (the order's view, its customer's stats).
      actions: ["UpdateItem"],
      environmentVariable: "READ_MODEL_TABLE_NAME",
    },
  ],
  kafka: { consumeFrom: [ORDER_EVENTS_TOPIC], produceTo: [ORDER_EVENTS_DLQ_TOPIC] },
} as const;

/** One function per event type, triggered by the records whose value has that `event_type`. */
const eventConsumer = (eventType: OrderEventType, name: string): FunctionDeclaration => ({
  name,
  description: `Applies ${eventType} events to the read model`,
  entry: `functions/${name}/handler.ts`,
  memoryMb: 512,
  timeoutSeconds: 30,
  environment: {
    POWERTOOLS_SERVICE_NAME: name,
    DEAD_LETTER_TOPIC: ORDER_EVENTS_DLQ_TOPIC,
    // What its trigger's filter takes: the handler checks at cold start that it consumes it.
    CONSUMED_EVENT_TYPE: eventType,
  },
  access: readModelAccess,
  trigger: {
    kind: "kafka",
    topic: ORDER_EVENTS_TOPIC,
    consumerGroupId: `${name}-v1`,
    filters: [{ value: { event_type: [eventType] } }],
    batchSize: 100,
    // No window: a record is handed over as soon as it is fetched, so the view follows the
    // command within the fetch's own wait (Lambda's API takes whole seconds only, 0-300; a
    // 1 s window was ~1 s of every view's latency). The cost is invocations: under light
    // load about one per record and type; under load batches still fill while the previous
    // invocation runs (docs/performance.md).
    maximumBatchingWindowSeconds: 0,
    startingPosition: "TRIM_HORIZON",
    mode: consumerMode,
  },
});

/**
 * The consumer function of each event type, named as its folder under `functions/`: one
 * line per type, and a type missing here does not compile.
 */
export const consumerFunctionOf: { readonly [T in OrderEventType]: string } = {
  OrderCreated: "order-created",
  OrderShipped: "order-shipped",
  OrderCancelled: "order-cancelled",
};

const eventConsumers = (Object.keys(consumerFunctionOf) as OrderEventType[]).map((eventType) =>
  eventConsumer(eventType, consumerFunctionOf[eventType]),
);

/** The event types some consumer's filter takes on `order-events`: everything else is unrouted. */
const routedEventTypes = (consumers: readonly FunctionDeclaration[]): string[] =>
  consumers.flatMap((consumer) =>
    consumer.trigger?.kind === "kafka" && consumer.trigger.topic === ORDER_EVENTS_TOPIC
      ? consumer.trigger.filters.flatMap((filter) => {
          const value = filter.value;
          const types =
            value !== undefined && !Array.isArray(value)
              ? (value as FilterPattern).event_type
              : undefined;
          return Array.isArray(types)
            ? types.filter((type): type is string => typeof type === "string")
            : [];
        })
      : [],
  );

export const systemWiring: SystemWiring = {
  topics: [
    {
      name: ORDER_EVENTS_TOPIC,
      partitions: 6,
      retentionHours: 7 * 24,
      maxMessageBytes: ORDER_EVENTS_MAX_MESSAGE_BYTES,
    },
    {
      name: ORDER_EVENTS_DLQ_TOPIC,
      partitions: 3,
      retentionHours: 14 * 24,
      maxMessageBytes: ORDER_EVENTS_MAX_MESSAGE_BYTES + DEAD_LETTER_HEADROOM_BYTES,
    },
    { name: ORDER_EVENTS_ON_FAILURE_TOPIC, partitions: 3, retentionHours: 14 * 24 },
  ],
  tables: [
    {
      name: ORDERS_TABLE,
      partitionKey: "pk",
      sortKey: "sk",
      timeToLiveAttribute: "expires_at",
      stream: "NEW_IMAGE",
    },
    {
      name: READ_MODEL_TABLE,
      partitionKey: "pk",
      sortKey: "sk",
      timeToLiveAttribute: "expires_at",
    },
  ],
  buckets: [OUTBOX_DEAD_LETTER_BUCKET],
  functions: [
    {
      name: "orders-api",
      description: "HTTP API: order commands with the transactional outbox, and read-model queries",
      entry: "functions/orders-api/handler.ts",
      memoryMb: 512,
      timeoutSeconds: 10,
      environment: { POWERTOOLS_SERVICE_NAME: "orders-api", ORDER_EVENTS_TOPIC },
      access: {
        tables: [
          {
            table: ORDERS_TABLE,
            // Loads with GetItem; commits one TransactWriteItems of Put items only.
            actions: ["GetItem", "PutItem"],
            environmentVariable: "ORDERS_TABLE_NAME",
          },
          {
            table: READ_MODEL_TABLE,
            actions: ["GetItem"],
            environmentVariable: "READ_MODEL_TABLE_NAME",
          },
        ],
      },
      routes: orderApiRouteDeclarations,
    },
    {
      name: "outbox-relay",
      description: "Publishes outbox items from the orders table's stream to Kafka, in order",
      entry: "functions/outbox-relay/handler.ts",
      memoryMb: 512,
      timeoutSeconds: 60,
      environment: { POWERTOOLS_SERVICE_NAME: "outbox-relay" },
      access: {
        buckets: [
          {
            bucket: OUTBOX_DEAD_LETTER_BUCKET,
            // Parks poison items; Lambda writes failed batches there with the same role.
            actions: ["PutObject"],
            environmentVariable: "DEAD_LETTER_BUCKET_NAME",
          },
        ],
        kafka: { produceTo: [ORDER_EVENTS_TOPIC] },
      },
      trigger: {
        kind: "dynamodb-stream",
        table: ORDERS_TABLE,
        filters: [
          { eventName: ["INSERT"], dynamodb: { Keys: { sk: { S: [{ prefix: "OUTBOX#" }] } } } },
        ],
        batchSize: 100,
        maximumBatchingWindowSeconds: 0,
        startingPosition: "TRIM_HORIZON",
        // Unlimited: only the record's age ends the retries, however long the cluster is away
        // (a count would run out within hours of fast retries, and later events of the same
        // orders would then publish without the earlier ones). The relay backs off itself.
        retryAttempts: -1,
        // Below the stream's 24 h retention, so records that never publish still reach the
        // on-failure bucket before DynamoDB trims them.
        maximumRecordAgeSeconds: 20 * 3600,
        bisectBatchOnError: false,
        reportBatchItemFailures: true,
        parallelizationFactor: 1,
        onFailure: { kind: "s3", bucket: OUTBOX_DEAD_LETTER_BUCKET },
      },
    },
    ...eventConsumers,
    {
      name: "unrouted-events",
      description:
        "Dead-letters records that match no consumer's filter (not JSON, no or unknown event_type)",
      entry: "functions/unrouted-events/handler.ts",
      memoryMb: 256,
      timeoutSeconds: 30,
      environment: {
        POWERTOOLS_SERVICE_NAME: "unrouted-events",
        DEAD_LETTER_TOPIC: ORDER_EVENTS_DLQ_TOPIC,
        ROUTED_EVENT_TYPES: routedEventTypes(eventConsumers).join(","),
      },
      access: { kafka: { consumeFrom: [ORDER_EVENTS_TOPIC], produceTo: [ORDER_EVENTS_DLQ_TOPIC] } },
      trigger: {
        kind: "kafka",
        topic: ORDER_EVENTS_TOPIC,
        consumerGroupId: "unrouted-events-v1",
        filters: [],
        batchSize: 500,
        maximumBatchingWindowSeconds: 1,
        startingPosition: "TRIM_HORIZON",
        mode: consumerMode,
      },
    },
    {
      name: "dead-letters",
      description:
        "Lists, shows, redrives and purges the dead letters of every place (npm run dead-letters -- --stack)",
      entry: "functions/dead-letters/handler.ts",
      memoryMb: 512,
      // A redrive at a low --rate can run for minutes: Lambda's longest timeout.
      timeoutSeconds: 900,
      environment: {
        POWERTOOLS_SERVICE_NAME: "dead-letters",
        DEAD_LETTER_TOPICS: ORDER_EVENTS_DLQ_TOPIC,
        ON_FAILURE_TOPICS: ORDER_EVENTS_ON_FAILURE_TOPIC,
        MAX_MESSAGE_BYTES: String(ORDER_EVENTS_MAX_MESSAGE_BYTES),
      },
      access: {
        buckets: [
          {
            bucket: OUTBOX_DEAD_LETTER_BUCKET,
            // Lists and reads the parked items, failed batches and the redrive ledger; writes
            // ledger marks and re-parks still-poison items; purge deletes.
            actions: ["ListBucket", "GetObject", "PutObject", "DeleteObject"],
            environmentVariable: "DEAD_LETTER_BUCKET_NAME",
          },
        ],
        kafka: {
          // Redrive puts records back on their source topic, as the relay would.
          produceTo: [ORDER_EVENTS_TOPIC],
          read: {
            topics: [ORDER_EVENTS_DLQ_TOPIC, ORDER_EVENTS_ON_FAILURE_TOPIC],
            consumerGroupPrefix: DEAD_LETTERS_READER_GROUP_PREFIX,
          },
        },
      },
    },
  ],
};
