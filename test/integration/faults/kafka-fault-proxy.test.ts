/**
 * The Kafka fault proxy itself, with real kafkajs clients through it to the real broker: the
 * broker addresses in metadata and coordinator answers name the proxy, so produce, fetch and
 * group traffic all pass through it; a held produce response makes the client time out
 * although the broker wrote the record; a cut request writes nothing; a cut response writes
 * and leaves the client without an answer; cutting every connection is survived by a
 * reconnect, through the proxy again.
 */
import { Kafka, logLevel, type Producer } from "kafkajs";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { type KafkaFaultProxy, startKafkaFaultProxy } from "../../support/faults/kafka-fault-proxy";
import { createTopic, readTopic } from "../../support/kafka-topics";
import { kafkaBrokers, uniqueName } from "../../support/local-endpoints";

const topic = uniqueName("faults");
let proxy: KafkaFaultProxy;
let producer: Producer;

/** A kafkajs client through the proxy, with a short request timeout and no retries. */
const throughProxy = () =>
  new Kafka({
    clientId: "fault-proxy-test",
    brokers: [proxy.endpoint],
    requestTimeout: 1_000,
    enforceRequestTimeout: true,
    retry: { retries: 0 },
    logLevel: logLevel.NOTHING,
  });

const send = (value: string) =>
  producer.send({ topic, acks: -1, messages: [{ key: "k", value }] }).then(
    () => undefined,
    (error: unknown) => error,
  );

/** The values the broker holds, read past the proxy. */
const written = async () => (await readTopic(topic)).map((record) => record.value?.toString());

beforeAll(async () => {
  await createTopic(topic, 1);
});

afterEach(async () => {
  await producer?.disconnect();
  await proxy?.close();
});

describe("the Kafka fault proxy", () => {
  it("keeps every connection on itself: metadata and coordinators name the proxy", async () => {
    proxy = await startKafkaFaultProxy({ upstream: kafkaBrokers[0] as string });
    const kafka = throughProxy();
    producer = kafka.producer();
    await producer.connect();
    const admin = kafka.admin();
    await admin.connect();

    const cluster = await admin.describeCluster();
    await admin.disconnect();
    expect(await send("through")).toBeUndefined();
    const read = await readTopic(topic, kafka);

    const [host, port] = proxy.endpoint.split(":");
    expect(cluster.brokers).toEqual([{ nodeId: 1, host, port: Number(port) }]);
    expect(read.map((record) => record.value?.toString())).toContain("through");
    // Produce, group and fetch requests went to the advertised address: the proxy's.
    const { requests, rewrittenResponses } = proxy.counts();
    expect(requests).toMatchObject({
      Produce: 1,
      FindCoordinator: expect.any(Number),
      Fetch: expect.any(Number),
    });
    expect(rewrittenResponses).toBeGreaterThanOrEqual(requests.Metadata ?? 0);
  });

  it("holds a produce response past the request timeout: the client fails, the broker wrote it", async () => {
    proxy = await startKafkaFaultProxy({
      upstream: kafkaBrokers[0] as string,
      rules: [{ kind: "delay-response", api: "Produce", delayMs: 2_500, times: 1 }],
    });
    producer = throughProxy().producer();
    await producer.connect();
    const value = uniqueName("held");

    const error = await send(value);

    expect(error).toBeInstanceOf(Error);
    expect(String((error as Error).message)).toMatch(/timed out/i);
    expect(await written()).toContain(value);
    expect(proxy.counts().delayedResponses).toBe(1);
  });

  it("cuts a produce request before the broker: the client fails, nothing is written", async () => {
    proxy = await startKafkaFaultProxy({
      upstream: kafkaBrokers[0] as string,
      rules: [{ kind: "cut-request", api: "Produce", times: 1 }],
    });
    producer = throughProxy().producer();
    await producer.connect();
    const value = uniqueName("cut-before");

    const error = await send(value);

    expect(error).toBeInstanceOf(Error);
    expect(await written()).not.toContain(value);
    expect(proxy.counts().cutRequests).toBe(1);
  });

  it("cuts after the broker answered: written, and the client never hears", async () => {
    proxy = await startKafkaFaultProxy({
      upstream: kafkaBrokers[0] as string,
      rules: [{ kind: "cut-response", api: "Produce", times: 1 }],
    });
    producer = throughProxy().producer();
    await producer.connect();
    const value = uniqueName("cut-after");

    const error = await send(value);

    expect(error).toBeInstanceOf(Error);
    expect(await written()).toContain(value);
    expect(proxy.counts().cutResponses).toBe(1);
  });

  it("cuts every open connection at once; the client reconnects through the proxy", async () => {
    proxy = await startKafkaFaultProxy({ upstream: kafkaBrokers[0] as string });
    producer = throughProxy().producer();
    await producer.connect();
    expect(await send(uniqueName("before"))).toBeUndefined();
    const before = proxy.counts();

    proxy.cutAll();
    const value = uniqueName("after");
    let error = await send(value);
    // The first send after the cut may find its connection gone (no retries here).
    if (error !== undefined) error = await send(value);

    expect(error).toBeUndefined();
    expect(await written()).toContain(value);
    const after = proxy.counts();
    expect(after.cutConnections).toBe(before.openConnections);
    expect(after.connections).toBeGreaterThan(before.connections);
  });
});
