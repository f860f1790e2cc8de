/**
 * docs/developer-tools.md ("Hot reload"): while records flow on the real broker, an edit to a
 * file the function's entry imports reloads the function between invocations. The invocation
 * in flight finishes on the old code and is not retried; later records run on the new code;
 * a syntax error fails the next invocations (the mapping retries them) until it is fixed.
 * Every record is handled exactly once. The function is a copy in `.local/`, never the
 * repository's sources.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { describe, it } from "vitest";
import {
  createFunctionHost,
  type InvocationOutcome,
} from "../../infra/local/runtime/function-host";
import { HotReload } from "../../infra/local/runtime/hot-reload";
import { createKafkaEventSource } from "../../infra/local/runtime/kafka-event-source";
import { testKafkaClient } from "../support/kafka-topics";
import { awsClientConfig } from "../support/local-endpoints";
import {
  BOOTSTRAP_SERVERS,
  fileKafkaFixture,
  kafkaTrigger,
  waitFor,
} from "./local-runtime/harness";

const ROOT = resolve(import.meta.dirname, "../..");

/**
 * The function: imports real shared code and `behaviour.ts`, the file the test edits. Each
 * record gets one line `{ value, version, pid }`; the record `hold` waits for RELEASE_FILE.
 */
const HANDLER = `import { appendFileSync, existsSync, writeFileSync } from "node:fs";
import { isLambdaKafkaRecord } from "../../shared/kafka/lambda-kafka-event";
import { version } from "./behaviour";

interface Batch { readonly records: Record<string, unknown[]> }

export const handler = async (event: Batch): Promise<void> => {
  for (const record of Object.values(event.records).flat()) {
    if (!isLambdaKafkaRecord(record)) throw new Error("not a Kafka record");
    const value = Buffer.from(record.value ?? "", "base64").toString("utf8");
    if (value === "hold") {
      writeFileSync(process.env.HOLDING_FILE ?? "", "");
      while (!existsSync(process.env.RELEASE_FILE ?? "")) await new Promise((done) => setTimeout(done, 20));
    }
    appendFileSync(process.env.RECORD_FILE ?? "", JSON.stringify({ value, version, pid: process.pid }) + "\\n");
  }
};
`;

const behaviour = (version: string) => `export const version = "${version}";\n`;

interface Handled {
  readonly value: string;
  readonly version: string;
  readonly pid: number;
}

const kafka = fileKafkaFixture();

describe("hot reload while records flow (docs/developer-tools.md, Hot reload)", () => {
  it("runs later records on the edited code, finishes the one in flight on the old, loses and repeats nothing", {
    timeout: 180_000,
  }, async (ctx) => {
    const { expect } = ctx;
    // Prepare: the function's copy in .local/, its host, its hot reload and its mapping
    mkdirSync(join(ROOT, ".local"), { recursive: true });
    const dir = mkdtempSync(join(ROOT, ".local", "hot-reload-"));
    ctx.onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const files = {
      handler: join(dir, "handler.ts"),
      behaviour: join(dir, "behaviour.ts"),
      records: join(dir, "handled.jsonl"),
      holding: join(dir, "holding"),
      release: join(dir, "release"),
    };
    writeFileSync(files.handler, HANDLER);
    writeFileSync(files.behaviour, behaviour("v1"));
    const name = `hot-reload-${dir.slice(-6)}`;
    const host = createFunctionHost({
      name,
      entry: files.handler,
      environment: {
        RECORD_FILE: files.records,
        HOLDING_FILE: files.holding,
        RELEASE_FILE: files.release,
      },
      timeoutSeconds: 60,
      logFile: join(dir, "function.log"),
    });
    ctx.onTestFinished(() => host.stop());
    const lines: string[] = [];
    const hotReload = new HotReload({
      root: ROOT,
      functions: [{ name, entry: files.handler, reload: () => host.reload() }],
      sourceDirs: [dir],
      wiringDirs: [],
      log: (line) => lines.push(line),
    });
    await hotReload.start();
    ctx.onTestFinished(() => hotReload.stop());
    const outcomes: InvocationOutcome[] = [];
    const topic = await kafka.topic(1);
    const trigger = kafkaTrigger(topic, { batchSize: 5, maximumBatchingWindowSeconds: 0.1 });
    const source = createKafkaEventSource({
      functionName: name,
      trigger,
      kafka: testKafkaClient(),
      bootstrapServers: BOOTSTRAP_SERVERS,
      region: awsClientConfig.region,
      invoke: async (event) => {
        const outcome = await host.invoke(event);
        outcomes.push(outcome);
        return outcome;
      },
      log: () => undefined,
      retryDelay: () => 50,
    });
    await source.start();
    ctx.onTestFinished(() => source.stop());
    const handled = (): Handled[] =>
      existsSync(files.records)
        ? readFileSync(files.records, "utf8")
            .split("\n")
            .filter(Boolean)
            .map((line) => JSON.parse(line) as Handled)
        : [];
    const produce = (values: readonly string[]) =>
      kafka.produce(
        topic,
        values.map((value) => ({ value })),
      );
    const values = (from: number, to: number) =>
      Array.from({ length: to - from }, (_, index) => `r${from + index}`);
    const shown = relative(ROOT, files.behaviour);
    const deadline = 60_000;

    // Act 1: records on v1, then one held in flight while behaviour.ts is edited to v2
    await produce(values(0, 10));
    await waitFor("r0..r9 handled", () => handled().length === 10, deadline);
    await produce(["hold"]);
    await waitFor("the held invocation", () => existsSync(files.holding), deadline);
    writeFileSync(files.behaviour, behaviour("v2"));
    await waitFor(
      "the reload line",
      () => lines.includes(`reloaded ${name} (${shown} changed)`),
      deadline,
    );
    await produce(values(10, 20));
    writeFileSync(files.release, "");
    await waitFor("r10..r19 handled", () => handled().length === 21, deadline);

    // Act 2: a syntax error while records arrive, then the fix (v3)
    writeFileSync(files.behaviour, 'export const version = "v3"\nexport const = ;\n');
    await waitFor(
      "the build error line",
      () => lines.some((line) => line.startsWith(`${name} does not build`)),
      deadline,
    );
    await produce(values(20, 25));
    await waitFor("a failed invocation", () => outcomes.some((outcome) => !outcome.ok), deadline);
    const failedWhileBroken = handled().length;
    writeFileSync(files.behaviour, behaviour("v3"));
    await waitFor("r20..r24 handled", () => handled().length === 26, deadline);

    // Assess: every record exactly once, in offset order, each on the code of its time
    const all = handled();
    expect(all.map(({ value }) => value)).toEqual([...values(0, 10), "hold", ...values(10, 25)]);
    const versionOf = (value: string) => all.find((each) => each.value === value)?.version;
    expect(values(0, 10).map(versionOf)).toEqual(Array(10).fill("v1"));
    expect(versionOf("hold")).toBe("v1");
    expect(values(10, 20).map(versionOf)).toEqual(Array(10).fill("v2"));
    expect(values(20, 25).map(versionOf)).toEqual(Array(5).fill("v3"));
    expect(failedWhileBroken).toBe(21);
    const pidOf = (value: string) => all.find((each) => each.value === value)?.pid;
    // The held invocation finished on the sandbox it started on, not retried on a new one
    expect(pidOf("hold")).toBe(pidOf("r0"));
    expect(pidOf("r10")).not.toBe(pidOf("hold"));
    await waitFor(
      "every offset committed",
      async () => (await kafka.committed(trigger.consumerGroupId, topic)).get(0) === 26,
      deadline,
    );
  });
});
