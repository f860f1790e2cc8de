/**
 * How the command line reaches the dead letters: a {@link DeadLetterTransport} runs one
 * request and answers it. The local one runs the shared operations in-process against the
 * broker and S3 the environment names (by default `npm run services:up`'s broker and moto,
 * and the wiring's topics and bucket); a deployed stack would answer through its function.
 *
 * Environment: `KAFKA_BROKERS` (+ `KAFKA_AUTH`, `KAFKA_TLS`), `AWS_ENDPOINT_URL`,
 * `AWS_REGION`, `DEAD_LETTER_BUCKET_NAME`, `DEAD_LETTER_TOPICS`, `ON_FAILURE_TOPICS`,
 * `KAFKA_PRODUCE_TOPICS` (comma-separated), `MAX_MESSAGE_BYTES`.
 *
 * @example
 * ```ts
 * const transport = localTransport(process.env);
 * const answer = await transport.run({ command: "list", filters: {} });
 * await transport.close();
 * ```
 */
import { S3Client } from "@aws-sdk/client-s3";
import { Kafka, logLevel } from "kafkajs";
import {
  type DeadLetterAnswer,
  type DeadLetterRequest,
  runDeadLetterOperation,
  s3RedriveLedger,
} from "../../../shared/dead-letters/inventory";
import { KafkaProducer, kafkaClientConfig, readKafkaSettings } from "../../../shared/kafka";
import { setupTracing } from "../../../shared/observability";
import { s3OutboxDeadLetters } from "../../../shared/outbox";
import {
  ORDER_EVENTS_DLQ_TOPIC,
  ORDER_EVENTS_MAX_MESSAGE_BYTES,
  ORDER_EVENTS_ON_FAILURE_TOPIC,
  ORDER_EVENTS_TOPIC,
  OUTBOX_DEAD_LETTER_BUCKET,
} from "../../wiring/system-wiring";
import {
  localAwsEndpoint,
  localKafkaBrokers,
  readServiceSettings,
} from "../services/service-settings";

/** Runs requests somewhere: in-process, or in a deployed function. */
export interface DeadLetterTransport {
  run(request: DeadLetterRequest): Promise<DeadLetterAnswer>;
  close(): Promise<void>;
}

/** The function name a redrive parks still-poison outbox items under. */
export const DEAD_LETTERS_FUNCTION = "dead-letters";

type Environment = Readonly<Record<string, string | undefined>>;

const names = (value: string | undefined, fallback: string): string[] =>
  (value ?? fallback)
    .split(",")
    .map((name) => name.trim())
    .filter((name) => name.length > 0);

const s3Client = (env: Environment): S3Client => {
  const local = localAwsEndpoint(readServiceSettings(process.env));
  const endpoint = env.AWS_ENDPOINT_URL ?? local;
  return new S3Client({
    region: env.AWS_REGION ?? "us-east-1",
    endpoint,
    forcePathStyle: endpoint === local || env.S3_FORCE_PATH_STYLE === "true",
    // moto takes any credentials; real ones must never be sent to it.
    ...(endpoint === local
      ? { credentials: { accessKeyId: "local", secretAccessKey: "local" } }
      : {}),
  });
};

/** The in-process transport over the places the environment names. */
export const localTransport = (env: Environment): DeadLetterTransport => {
  // The relay's publish continues each item's stored trace, as the relay function does.
  setupTracing({ serviceName: DEAD_LETTERS_FUNCTION });
  const kafkaSettings = readKafkaSettings({
    ...env,
    KAFKA_BROKERS: env.KAFKA_BROKERS ?? localKafkaBrokers(readServiceSettings(process.env)),
  });
  const kafka = new Kafka({ ...kafkaClientConfig(kafkaSettings), logLevel: logLevel.NOTHING });
  const s3 = s3Client(env);
  const bucket = env.DEAD_LETTER_BUCKET_NAME ?? OUTBOX_DEAD_LETTER_BUCKET;
  const sender = new KafkaProducer(kafkaSettings);
  const places = {
    kafka,
    s3,
    bucket,
    deadLetterTopics: names(env.DEAD_LETTER_TOPICS, ORDER_EVENTS_DLQ_TOPIC),
    onFailureTopics: names(env.ON_FAILURE_TOPICS, ORDER_EVENTS_ON_FAILURE_TOPIC),
    ledger: s3RedriveLedger({ client: s3, bucket }),
  };
  const relay = {
    deadLetters: s3OutboxDeadLetters({ client: s3, bucket, functionName: DEAD_LETTERS_FUNCTION }),
    maxMessageBytes: Number(env.MAX_MESSAGE_BYTES ?? ORDER_EVENTS_MAX_MESSAGE_BYTES),
    topics: new Set(names(env.KAFKA_PRODUCE_TOPICS, ORDER_EVENTS_TOPIC)),
  };
  return {
    run: (request) => runDeadLetterOperation(request, { places, redrive: { sender, relay } }),
    close: async () => {
      await sender.disconnect();
      s3.destroy();
    },
  };
};
