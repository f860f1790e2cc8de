import kafkajs from "kafkajs";
import { describe, expect, it } from "vitest";
import { isPermanent } from "../../../shared/errors";
import {
  isMessageRefusal,
  isTransientKafkaError,
  toProduceError,
} from "../../../shared/kafka/classify-produce-error";
import {
  ProducePermanentError,
  ProduceTimeoutError,
  ProduceTransientError,
} from "../../../shared/kafka/errors";

/**
 * The real kafkajs classes. kafkajs is CommonJS and spreads its errors into module.exports,
 * which Node's ESM named-export detection misses, and its typings omit some classes and
 * constructor parameters: take them from the default export, with their runtime signature.
 */
type KafkaJSErrorClass = new (error: unknown, metadata?: object) => Error;
const errorClass = (name: string): KafkaJSErrorClass => {
  const candidate: unknown = Reflect.get(kafkajs, name);
  if (typeof candidate !== "function") throw new Error(`kafkajs exports no ${name}`);
  return candidate as KafkaJSErrorClass;
};
const KafkaJSConnectionClosedError = errorClass("KafkaJSConnectionClosedError");
const KafkaJSConnectionError = errorClass("KafkaJSConnectionError");
const KafkaJSError = errorClass("KafkaJSError");
const KafkaJSNonRetriableError = errorClass("KafkaJSNonRetriableError");
const KafkaJSNumberOfRetriesExceeded = errorClass("KafkaJSNumberOfRetriesExceeded");
const KafkaJSProtocolError = errorClass("KafkaJSProtocolError");
const KafkaJSRequestTimeoutError = errorClass("KafkaJSRequestTimeoutError");
const KafkaJSSASLAuthenticationError = errorClass("KafkaJSSASLAuthenticationError");
const KafkaJSTimeout = errorClass("KafkaJSTimeout");

/** A protocol error as kafkajs builds it from a broker's error code. */
const protocolError = (type: string, code: number, retriable: boolean) => {
  return new KafkaJSProtocolError({ message: `broker said ${type}`, type, code, retriable });
};

describe("isTransientKafkaError", () => {
  it.each([
    ["connection refused", new KafkaJSConnectionError("Connection error: connect ECONNREFUSED")],
    ["connection closed", new KafkaJSConnectionClosedError("Closed connection")],
    [
      "request timeout",
      new KafkaJSRequestTimeoutError("Request Produce(key: 0, version: 7) timed out"),
    ],
    ["leader not available", protocolError("LEADER_NOT_AVAILABLE", 5, true)],
    ["not enough replicas", protocolError("NOT_ENOUGH_REPLICAS", 19, true)],
    [
      "retries exhausted on a retriable cause",
      new KafkaJSNumberOfRetriesExceeded(new KafkaJSConnectionError("ECONNREFUSED"), {
        retryCount: 5,
        retryTime: 1_600,
      }),
    ],
    [
      "the retrier's wrapper around exhausted connection retries (seen with a stopped broker)",
      new KafkaJSNonRetriableError(
        new KafkaJSNumberOfRetriesExceeded(new KafkaJSConnectionError("ECONNREFUSED"), {
          retryCount: 5,
          retryTime: 1_600,
        }),
        { cause: new KafkaJSConnectionError("ECONNREFUSED") },
      ),
    ],
    ["kafkajs timeout", new KafkaJSTimeout("Timeout while acquiring lock")],
    [
      "SASL authentication (expired IAM token)",
      new KafkaJSSASLAuthenticationError("SASL OAUTHBEARER authentication failed"),
    ],
    [
      "producer state (new producer id cures it)",
      protocolError("OUT_OF_ORDER_SEQUENCE_NUMBER", 45, false),
    ],
    ["a generic retriable kafkajs error", new KafkaJSError("The producer is disconnected")],
    ["an unknown error", new Error("socket hang up")],
    ["not an error at all", "boom"],
  ])("%s is transient", (_case, error) => {
    // Act
    const transient = isTransientKafkaError(error);

    // Assess
    expect(transient).toBe(true);
  });

  it.each([
    ["message too large", protocolError("MESSAGE_TOO_LARGE", 10, false)],
    ["record list too large", protocolError("RECORD_LIST_TOO_LARGE", 18, false)],
    ["topic authorization", protocolError("TOPIC_AUTHORIZATION_FAILED", 29, false)],
    ["invalid record", protocolError("INVALID_RECORD", 87, false)],
    [
      "the retrier's wrapper around a non-retriable cause",
      new KafkaJSNonRetriableError(protocolError("MESSAGE_TOO_LARGE", 10, false), {
        cause: protocolError("MESSAGE_TOO_LARGE", 10, false),
      }),
    ],
    ["invalid input", new KafkaJSNonRetriableError('Invalid message without value for topic "t"')],
    ["a type error", new TypeError("The first argument must be of type string")],
  ])("%s is permanent", (_case, error) => {
    // Act
    const transient = isTransientKafkaError(error);

    // Assess
    expect(transient).toBe(false);
  });
});

describe("toProduceError", () => {
  it("makes a transient error of exhausted retries, naming the cause's protocol type", () => {
    // Prepare
    const cause = protocolError("LEADER_NOT_AVAILABLE", 5, true);
    const kafkaError = new KafkaJSNumberOfRetriesExceeded(cause, {
      retryCount: 5,
      retryTime: 1_600,
    });

    // Act
    const error = toProduceError(kafkaError, 3);

    // Assess
    expect(error).toBeInstanceOf(ProduceTransientError);
    expect(isPermanent(error)).toBe(false);
    expect(error.cause).toBe(kafkaError);
    expect(error).toMatchObject({
      firstUnacknowledged: 3,
      kafkaError: "KafkaJSNumberOfRetriesExceeded",
      kafkaErrorType: "LEADER_NOT_AVAILABLE",
    });
    expect(error.message).toContain(
      "(KafkaJSNumberOfRetriesExceeded <- KafkaJSProtocolError LEADER_NOT_AVAILABLE)",
    );
  });

  it("makes a permanent error of a message too large", () => {
    // Prepare
    const kafkaError = protocolError("MESSAGE_TOO_LARGE", 10, false);

    // Act
    const error = toProduceError(kafkaError, 0);

    // Assess
    expect(error).toBeInstanceOf(ProducePermanentError);
    expect(isPermanent(error)).toBe(true);
    expect(error.cause).toBe(kafkaError);
    expect(error).toMatchObject({
      firstUnacknowledged: 0,
      kafkaError: "KafkaJSProtocolError",
      kafkaErrorType: "MESSAGE_TOO_LARGE",
    });
  });

  it("names the whole cause chain in the message, so logs say what really happened", () => {
    // Prepare
    const connection = new KafkaJSConnectionError("Connection error: connect ECONNREFUSED");
    const wrapped = new KafkaJSNonRetriableError(connection, { cause: connection });

    // Act
    const error = toProduceError(wrapped, 0);

    // Assess
    expect(error).toBeInstanceOf(ProduceTransientError);
    expect(error.message).toBe(
      "Kafka send failed (KafkaJSNonRetriableError <- KafkaJSConnectionError): Connection error: connect ECONNREFUSED",
    );
  });

  it("stops on a cycle of causes", () => {
    // Prepare
    const first = new Error("first");
    const second = new Error("second", { cause: first });
    first.cause = second;

    // Act
    const error = toProduceError(first, 0);

    // Assess
    expect(error).toBeInstanceOf(ProduceTransientError);
  });

  it("passes produce errors through unchanged", () => {
    // Prepare
    const timeout = new ProduceTimeoutError(5_000, 2);

    // Act
    const error = toProduceError(timeout, 0);

    // Assess
    expect(error).toBe(timeout);
    expect(error).toBeInstanceOf(ProduceTransientError);
    expect(error.firstUnacknowledged).toBe(2);
  });
});

describe("isMessageRefusal", () => {
  it.each([
    ["message too large", protocolError("MESSAGE_TOO_LARGE", 10, false)],
    ["record list too large", protocolError("RECORD_LIST_TOO_LARGE", 18, false)],
    ["invalid record", protocolError("INVALID_RECORD", 87, false)],
    [
      "the retrier's wrapper around a message too large",
      new KafkaJSNonRetriableError(protocolError("MESSAGE_TOO_LARGE", 10, false), {
        cause: protocolError("MESSAGE_TOO_LARGE", 10, false),
      }),
    ],
    ["its typed error", toProduceError(protocolError("MESSAGE_TOO_LARGE", 10, false), 3)],
  ])("%s is a refusal for what a message is", (_case, error) => {
    // Act
    const refusal = isMessageRefusal(error);

    // Assess
    expect(refusal).toBe(true);
  });

  it.each([
    ["topic authorization", protocolError("TOPIC_AUTHORIZATION_FAILED", 29, false)],
    ["unknown topic", protocolError("UNKNOWN_TOPIC_OR_PARTITION", 3, true)],
    ["a corrupt message kafkajs retries", protocolError("CORRUPT_MESSAGE", 2, true)],
    ["a stopped broker", new KafkaJSConnectionError("Connection error: connect ECONNREFUSED")],
    ["a deadline", new ProduceTimeoutError(20_000, 0)],
    ["a type error", new TypeError("The first argument must be of type string")],
  ])("%s is not", (_case, error) => {
    // Act
    const refusal = isMessageRefusal(error);

    // Assess
    expect(refusal).toBe(false);
  });
});
