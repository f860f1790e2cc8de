/**
 * DynamoDB's own error answers, byte for byte as the service sends them over its JSON 1.0
 * protocol: the status code, `Content-Type: application/x-amz-json-1.0`, a request id, the
 * body's CRC32 (`x-amz-crc32`), and a body whose `__type` names the error's shape (the SDK
 * keeps what follows the `#`) beside its `message` (`Message` for
 * `TransactionCanceledException`, as DynamoDB writes it). The two bare HTTP kinds are what a
 * load balancer in front of the service answers: a status and a body that is no JSON.
 *
 * @example
 * ```ts
 * const answer = dynamoErrorAnswer("TransactionConflict", { operation: "TransactWriteItems", conflicting: [2], items: 3 });
 * answer.status; // 400
 * ```
 */
import { randomUUID } from "node:crypto";
import { crc32 } from "node:zlib";

/** The faults the proxy can answer with instead of moto. */
export const DYNAMO_ERROR_KINDS = [
  "ThrottlingException",
  "ProvisionedThroughputExceededException",
  "TransactionConflict",
  "InternalServerError",
  "ServiceUnavailable",
  "Http500",
  "Http503",
] as const;

/**
 * One of {@link DYNAMO_ERROR_KINDS}. `TransactionConflict` is DynamoDB's answer to a write that
 * meets a transaction in progress on one of its items: `TransactionCanceledException` with a
 * `TransactionConflict` reason for a transaction, `TransactionConflictException` for a
 * single-item write.
 */
export type DynamoErrorKind = (typeof DYNAMO_ERROR_KINDS)[number];

/** An HTTP answer: status, headers and body. */
export interface HttpAnswer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** What an error answer depends on in the request it answers. */
export interface ErrorContext {
  /** The operation, e.g. `TransactWriteItems` (from `X-Amz-Target`). */
  readonly operation: string;
  /** How many items the request writes: one cancellation reason each. */
  readonly items: number;
  /** Positions of the items in conflict; the first item when none is named. */
  readonly conflicting?: readonly number[];
}

const DYNAMODB_NAMESPACE = "com.amazonaws.dynamodb.v20120810";
const CONFLICT_MESSAGE = "Transaction is ongoing for the item";

const jsonAnswer = (status: number, body: object): HttpAnswer => {
  const text = JSON.stringify(body);
  return {
    status,
    headers: {
      "content-type": "application/x-amz-json-1.0",
      "x-amzn-requestid": randomUUID().replaceAll("-", "").toUpperCase(),
      "x-amz-crc32": String(crc32(text)),
    },
    body: text,
  };
};

const textAnswer = (status: number, body: string): HttpAnswer => ({
  status,
  headers: { "content-type": "text/html" },
  body,
});

/** `TransactionCanceledException`, one reason per item in request order. */
const transactionCanceled = (context: ErrorContext): HttpAnswer => {
  const conflicting = new Set(context.conflicting ?? [0]);
  const reasons = Array.from({ length: Math.max(1, context.items) }, (_, index) =>
    conflicting.has(index)
      ? { Code: "TransactionConflict", Message: CONFLICT_MESSAGE }
      : { Code: "None" },
  );
  return jsonAnswer(400, {
    __type: `${DYNAMODB_NAMESPACE}#TransactionCanceledException`,
    Message: `Transaction cancelled, please refer cancellation reasons for specific reasons [${reasons.map(({ Code }) => Code).join(", ")}]`,
    CancellationReasons: reasons,
  });
};

const conflict = (context: ErrorContext): HttpAnswer =>
  context.operation === "TransactWriteItems"
    ? transactionCanceled(context)
    : jsonAnswer(400, {
        __type: `${DYNAMODB_NAMESPACE}#TransactionConflictException`,
        message: CONFLICT_MESSAGE,
      });

/**
 * DynamoDB's answer of `kind` to a request.
 *
 * @example
 * ```ts
 * dynamoErrorAnswer("ThrottlingException", { operation: "PutItem", items: 1 }).status; // 400
 * ```
 */
export const dynamoErrorAnswer = (kind: DynamoErrorKind, context: ErrorContext): HttpAnswer => {
  switch (kind) {
    case "ThrottlingException":
      return jsonAnswer(400, {
        __type: "com.amazon.coral.availability#ThrottlingException",
        message: "Rate of requests exceeds the allowed throughput.",
      });
    case "ProvisionedThroughputExceededException":
      return jsonAnswer(400, {
        __type: `${DYNAMODB_NAMESPACE}#ProvisionedThroughputExceededException`,
        message:
          "The level of configured provisioned throughput for the table was exceeded. Consider increasing your provisioning level with the UpdateTable API.",
      });
    case "TransactionConflict":
      return conflict(context);
    case "InternalServerError":
      return jsonAnswer(500, {
        __type: `${DYNAMODB_NAMESPACE}#InternalServerError`,
        message: "Internal server error",
      });
    case "ServiceUnavailable":
      return jsonAnswer(503, {
        __type: `${DYNAMODB_NAMESPACE}#ServiceUnavailable`,
        message: "Service Unavailable",
      });
    case "Http500":
      return textAnswer(500, "<html><body><h1>500 Internal Server Error</h1></body></html>");
    case "Http503":
      return textAnswer(503, "<html><body><h1>503 Service Unavailable</h1></body></html>");
  }
};
