/**
 * The invocation record Lambda writes to an event source mapping's on-failure destination:
 * which function gave up on the records, why, after how many invocations and with which
 * error. Each destination adds what it carries: the Kafka topic the event of one record, the
 * S3 bucket the batch's shard and sequence numbers with the whole event. See
 * `docs/architecture.md`, section "Lambda event sources".
 *
 * @example
 * ```ts
 * const body = JSON.stringify({
 *   ...onFailureInvocationRecord({ functionArn, condition: "RecordAgeExceeded", invokeCount: 0, lastOutcome: undefined, timestamp }),
 *   payload,
 * });
 * ```
 */
import { randomUUID } from "node:crypto";
import type { InvocationOutcome } from "./function-host";
import type { RetryStep } from "./retry-policy";

/** Why a mapping gave up on records, as Lambda names it in the invocation record. */
export type OnFailureCondition = Extract<RetryStep, { kind: "give-up" }>["condition"];

/** The common part of an on-failure invocation record, in Lambda's field order. */
export interface OnFailureInvocationRecord {
  readonly version: "1.0";
  readonly timestamp: string;
  readonly requestContext: {
    readonly requestId: string;
    readonly functionArn: string;
    readonly condition: OnFailureCondition;
    readonly approximateInvokeCount: number;
  };
  readonly responseContext: {
    readonly statusCode: 200;
    readonly executedVersion: "$LATEST";
    /** The error type of the last invocation when it failed; omitted from the JSON otherwise. */
    readonly functionError: string | undefined;
  };
}

/**
 * The ARN a local function answers to, in the shape Lambda gives it (account 000000000000).
 *
 * @example
 * ```ts
 * localFunctionArn("us-east-1", "orders-api"); // "arn:aws:lambda:us-east-1:000000000000:function:orders-api"
 * ```
 */
export const localFunctionArn = (region: string, functionName: string): string =>
  `arn:aws:lambda:${region}:000000000000:function:${functionName}`;

/**
 * The invocation record for records given up on. Without a last invocation (records that
 * expired before any), the request id is a fresh one.
 */
export const onFailureInvocationRecord = (details: {
  readonly functionArn: string;
  readonly condition: OnFailureCondition;
  readonly invokeCount: number;
  readonly lastOutcome: InvocationOutcome | undefined;
  readonly timestamp: string;
}): OnFailureInvocationRecord => ({
  version: "1.0",
  timestamp: details.timestamp,
  requestContext: {
    requestId: details.lastOutcome?.requestId ?? randomUUID(),
    functionArn: details.functionArn,
    condition: details.condition,
    approximateInvokeCount: details.invokeCount,
  },
  responseContext: {
    statusCode: 200,
    executedVersion: "$LATEST",
    functionError:
      details.lastOutcome?.ok === false ? details.lastOutcome.error.errorType : undefined,
  },
});
