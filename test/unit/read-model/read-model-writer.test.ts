import {
  type DynamoDBClient,
  ResourceNotFoundException,
  TransactionCanceledException,
} from "@aws-sdk/client-dynamodb";
import { describe, expect, it } from "vitest";
import { isPermanent } from "../../../shared/errors";
import {
  createReadModelWriter,
  ReadModelRejectedError,
  ReadModelUnavailableError,
} from "../../../shared/read-model";
import { created } from "./fixtures";

/** A client whose every send fails with `error`: only the writer's reading of it is tested. */
const failingClient = (error: unknown) =>
  ({ send: async () => Promise.reject(error) }) as unknown as DynamoDBClient;

const cancelledWith = (...codes: string[]) =>
  new TransactionCanceledException({
    message: "Transaction cancelled",
    $metadata: {},
    CancellationReasons: codes.map((Code) => ({ Code })),
  });

const writerWith = (error: unknown) =>
  createReadModelWriter({ client: failingClient(error), tableName: "t" });

describe("createReadModelWriter", () => {
  it("reads a transaction stopped by the view's fact guard as a duplicate", async () => {
    // Assess: the event applied before, under its own event_id or another
    await expect(
      writerWith(cancelledWith("ConditionalCheckFailed", "None")).apply(created),
    ).resolves.toBe("duplicate");
  });

  it.each([
    ["a transaction conflict", cancelledWith("TransactionConflict", "None")],
    ["throttling", cancelledWith("None", "ThrottlingError")],
    ["a missing table", new ResourceNotFoundException({ message: "no table", $metadata: {} })],
    [
      "a refused connection",
      Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" }),
    ],
  ])("makes %s transient", async (_case, error) => {
    // Act
    const failure = await writerWith(error)
      .apply(created)
      .catch((caught: unknown) => caught);

    // Assess
    expect(failure).toBeInstanceOf(ReadModelUnavailableError);
    expect(isPermanent(failure)).toBe(false);
  });

  it("makes items DynamoDB refuses permanent", async () => {
    // Act
    const failure = await writerWith(cancelledWith("None", "ValidationError", "None"))
      .apply(created)
      .catch((caught: unknown) => caught);

    // Assess
    expect(failure).toBeInstanceOf(ReadModelRejectedError);
    expect(isPermanent(failure)).toBe(true);
  });
});
