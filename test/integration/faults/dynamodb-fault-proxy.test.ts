/**
 * The DynamoDB fault proxy itself, with the real SDK against moto through it: it forwards
 * what no rule takes; its error bodies are parsed by the SDK into DynamoDB's own exception
 * classes (a transaction's cancellation reasons included); a fault after forwarding leaves the
 * write done and unacknowledged; rates are seeded; and conflict mode cancels a write that
 * meets a transaction in progress on one of its items, as DynamoDB does, naming that item.
 */
import {
  DynamoDBClient,
  DynamoDBServiceException,
  GetItemCommand,
  InternalServerError,
  ProvisionedThroughputExceededException,
  PutItemCommand,
  ThrottlingException,
  TransactionCanceledException,
  TransactionConflictException,
  type TransactWriteItem,
  TransactWriteItemsCommand,
  UpdateItemCommand,
} from "@aws-sdk/client-dynamodb";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { waitUntil } from "../../../infra/local/services/process-control";
import { READ_MODEL_TABLE } from "../../../infra/wiring/system-wiring";
import { createDeclaredTable } from "../../support/declared-tables";
import {
  type DynamoFaultProxy,
  type DynamoFaultRule,
  startDynamoFaultProxy,
} from "../../support/faults/dynamodb-fault-proxy";
import { awsClientConfig, uniqueName } from "../../support/local-endpoints";

const tableName = uniqueName("faults");
const moto = new DynamoDBClient(awsClientConfig);
let proxy: DynamoFaultProxy;
let client: DynamoDBClient;

/** A client through `target` that makes one attempt, so each fault reaches the test. */
const clientOf = (target: DynamoFaultProxy, maxAttempts = 1) =>
  new DynamoDBClient({ ...awsClientConfig, endpoint: target.endpoint, maxAttempts });

const key = (pk: string, sk = "ITEM") => ({ pk: { S: pk }, sk: { S: sk } });
const put = (pk: string) => new PutItemCommand({ TableName: tableName, Item: key(pk) });
const add = (pk: string, sk = "STATS") =>
  new UpdateItemCommand({
    TableName: tableName,
    Key: key(pk, sk),
    UpdateExpression: "ADD hits :one",
    ExpressionAttributeValues: { ":one": { N: "1" } },
  });
const transaction = (...items: TransactWriteItem[]) =>
  new TransactWriteItemsCommand({ TransactItems: items });
const putItem = (pk: string): TransactWriteItem => ({
  Put: { TableName: tableName, Item: key(pk) },
});
const addTo = (pk: string): TransactWriteItem => ({
  Update: {
    TableName: tableName,
    Key: key(pk, "STATS"),
    UpdateExpression: "ADD hits :one",
    ExpressionAttributeValues: { ":one": { N: "1" } },
  },
});

/** What moto itself holds under the key, asked directly. */
const stored = async (pk: string, sk = "ITEM") =>
  (
    await moto.send(
      new GetItemCommand({ TableName: tableName, Key: key(pk, sk), ConsistentRead: true }),
    )
  ).Item;

const failureOf = async (work: Promise<unknown>): Promise<unknown> =>
  work.then(
    () => undefined,
    (error: unknown) => error,
  );

const withProxy = async (options: {
  rules?: DynamoFaultRule[];
  conflicts?: boolean;
  seed?: number;
}) => {
  proxy = await startDynamoFaultProxy({ upstream: awsClientConfig.endpoint, ...options });
  client = clientOf(proxy);
};

beforeAll(async () => {
  await createDeclaredTable(moto, READ_MODEL_TABLE, tableName);
});

afterEach(async () => {
  client?.destroy();
  await proxy?.close();
});

afterAll(() => moto.destroy());

describe("the DynamoDB fault proxy", () => {
  it("forwards what no rule takes, and counts it", async () => {
    await withProxy({});
    const pk = uniqueName("plain");

    await client.send(put(pk));

    expect(await stored(pk)).toEqual(key(pk));
    expect(proxy.counts()).toMatchObject({
      requests: 1,
      forwarded: 1,
      byOperation: { PutItem: 1 },
    });
    const overHttp = await (await fetch(`${proxy.endpoint}/__faults/counts`)).json();
    expect(overHttp).toEqual(proxy.counts());
  });

  it.each([
    ["ThrottlingException", ThrottlingException, 400],
    ["ProvisionedThroughputExceededException", ProvisionedThroughputExceededException, 400],
    ["InternalServerError", InternalServerError, 500],
  ] as const)(
    "answers %s, which the SDK parses into its class, and writes nothing",
    async (kind, type, status) => {
      await withProxy({ rules: [{ kind, operations: ["PutItem"] }] });
      const pk = uniqueName("refused");

      const error = await failureOf(client.send(put(pk)));

      expect(error).toBeInstanceOf(type);
      expect((error as DynamoDBServiceException).$metadata.httpStatusCode).toBe(status);
      expect((error as DynamoDBServiceException).message).not.toBe("UnknownError");
      expect(await stored(pk)).toBeUndefined();
      expect(proxy.counts()).toMatchObject({ forwarded: 0, injected: { [kind]: 1 } });
    },
  );

  it("cancels a transaction with one reason per item, TransactionConflict where it says", async () => {
    const rule: DynamoFaultRule = { kind: "TransactionConflict", conflicting: [1] };
    await withProxy({ rules: [rule] });
    const [first, second] = [uniqueName("a"), uniqueName("b")];

    const error = await failureOf(
      client.send(transaction(putItem(first), addTo(first), putItem(second))),
    );

    expect(error).toBeInstanceOf(TransactionCanceledException);
    const reasons = (error as TransactionCanceledException).CancellationReasons;
    expect(reasons).toEqual([
      { Code: "None" },
      { Code: "TransactionConflict", Message: "Transaction is ongoing for the item" },
      { Code: "None" },
    ]);
    expect(await stored(first)).toBeUndefined();
  });

  it("refuses a single-item write with TransactionConflictException", async () => {
    await withProxy({ rules: [{ kind: "TransactionConflict", operations: ["UpdateItem"] }] });

    const error = await failureOf(client.send(add(uniqueName("c"))));

    expect(error).toBeInstanceOf(TransactionConflictException);
  });

  it("answers ServiceUnavailable as a server fault of status 503", async () => {
    await withProxy({ rules: [{ kind: "ServiceUnavailable" }] });

    const error = await failureOf(client.send(put(uniqueName("down"))));

    expect(error).toBeInstanceOf(DynamoDBServiceException);
    expect((error as DynamoDBServiceException).name).toBe("ServiceUnavailable");
    expect((error as DynamoDBServiceException).$fault).toBe("server");
    expect((error as DynamoDBServiceException).$metadata.httpStatusCode).toBe(503);
  });

  it.each([
    ["Http500", 500],
    ["Http503", 503],
  ] as const)(
    "answers %s with a body that is no JSON: the SDK's error carries status %i",
    async (kind, status) => {
      await withProxy({ rules: [{ kind }] });

      const error = await failureOf(client.send(put(uniqueName("down"))));

      // The SDK cannot read the body; its deserialization error keeps the status, which its
      // retry strategy (and any caller) reads to treat the failure as a server's.
      expect(error).toBeInstanceOf(SyntaxError);
      expect((error as DynamoDBServiceException).$metadata.httpStatusCode).toBe(status);
    },
  );

  it("lets the SDK's own retries through throttling and a bare 503 to the write", async () => {
    const rules: DynamoFaultRule[] = [
      { kind: "ThrottlingException", times: 1 },
      { kind: "Http503", times: 1 },
    ];
    await withProxy({ rules });
    const retrying = clientOf(proxy, 3);
    const pk = uniqueName("retried");

    await retrying.send(put(pk));

    expect(await stored(pk)).toEqual(key(pk));
    expect(proxy.counts()).toMatchObject({
      requests: 3,
      forwarded: 1,
      injected: { ThrottlingException: 1, Http503: 1 },
    });
    retrying.destroy();
  });

  it("after forwarding, the write is done while the caller hears a 500 or a dropped connection", async () => {
    const rules: DynamoFaultRule[] = [
      { kind: "InternalServerError", operations: ["PutItem"], times: 1, afterForwarding: true },
      { kind: "Drop", operations: ["PutItem"], times: 1, afterForwarding: true },
    ];
    await withProxy({ rules });
    const [answered, dropped] = [uniqueName("isr"), uniqueName("drop")];

    const serverError = await failureOf(client.send(put(answered)));
    const reset = await failureOf(client.send(put(dropped)));

    expect(serverError).toBeInstanceOf(InternalServerError);
    expect(reset).toBeInstanceOf(Error);
    expect(reset).not.toBeInstanceOf(DynamoDBServiceException);
    expect([await stored(answered), await stored(dropped)]).toEqual([key(answered), key(dropped)]);
    expect(proxy.counts()).toMatchObject({
      forwarded: 2,
      injected: { InternalServerError: 1, Drop: 1 },
    });
  });

  it("draws rates from its seed: the same seed, the same faults", async () => {
    const outcomes: boolean[][] = [];
    for (const run of [1, 2]) {
      await withProxy({ rules: [{ kind: "ThrottlingException", rate: 0.3 }], seed: 2026 });
      const failed: boolean[] = [];
      for (let n = 0; n < 30; n += 1) {
        failed.push((await failureOf(client.send(put(uniqueName(`rate-${run}`))))) !== undefined);
      }
      outcomes.push(failed);
      expect(proxy.counts().injected.ThrottlingException).toBe(failed.filter(Boolean).length);
      client.destroy();
      await proxy.close();
    }
    expect(outcomes[0]).toEqual(outcomes[1]);
    expect(outcomes[0]?.filter(Boolean).length).toBeGreaterThan(0);
    expect(outcomes[0]?.filter(Boolean).length).toBeLessThan(30);
  });
});

describe("the DynamoDB fault proxy's conflict mode", () => {
  /**
   * Starts a transaction that the proxy holds a while (a latency rule), and resolves once it
   * is in progress, with its sending (wrapped: awaiting it is the caller's choice).
   */
  const slowTransaction = async (...items: TransactWriteItem[]) => {
    const sending = client.send(transaction(...items));
    const inProgress = await waitUntil(
      async () => proxy.counts().inFlightTransactions === 1,
      10_000,
      5,
    );
    if (!inProgress) throw new Error("the slow transaction never got under way");
    return { sending };
  };
  const slowFirst: DynamoFaultRule = { kind: "Latency", latencyMs: 300, times: 1 };

  it("cancels a transaction meeting one in progress, naming the item they share", async () => {
    await withProxy({ conflicts: true, rules: [slowFirst] });
    const [customer, mine, theirs] = [uniqueName("cus"), uniqueName("mine"), uniqueName("theirs")];
    const first = await slowTransaction(putItem(theirs), addTo(customer));

    const error = await failureOf(client.send(transaction(putItem(mine), addTo(customer))));
    await first.sending;

    expect(error).toBeInstanceOf(TransactionCanceledException);
    const codes = (error as TransactionCanceledException).CancellationReasons?.map(
      ({ Code }) => Code,
    );
    expect(codes).toEqual(["None", "TransactionConflict"]);
    expect(await stored(customer, "STATS")).toMatchObject({ hits: { N: "1" } });
    expect(await stored(mine)).toBeUndefined();
    expect(proxy.counts()).toMatchObject({
      sameItemOverlaps: 1,
      conflictsInjected: 1,
      overlapsByItem: { [`${tableName}:${customer}/STATS`]: 1 },
      inFlightTransactions: 0,
    });
  });

  it("refuses a single-item write of an item a transaction holds, knowing a Put's key", async () => {
    await withProxy({ conflicts: true, rules: [slowFirst] });
    const pk = uniqueName("held");
    const first = await slowTransaction(putItem(pk));

    const error = await failureOf(client.send(put(pk)));
    await first.sending;

    expect(error).toBeInstanceOf(TransactionConflictException);
    expect(proxy.counts().overlapsByItem).toEqual({ [`${tableName}:${pk}/ITEM`]: 1 });
  });

  it("without conflict mode, lets the overlap through and counts it", async () => {
    await withProxy({ conflicts: false, rules: [slowFirst] });
    const customer = uniqueName("cus");
    const first = await slowTransaction(addTo(customer));

    await client.send(transaction(addTo(customer)));
    await first.sending;

    expect(await stored(customer, "STATS")).toMatchObject({ hits: { N: "2" } });
    expect(proxy.counts()).toMatchObject({ sameItemOverlaps: 1, conflictsInjected: 0 });
  });
});
