/**
 * The dead-letters operations' dependencies from an environment, the same for the local
 * command line and the deployed dead-letters function: Kafka settings (`KAFKA_BROKERS`,
 * `KAFKA_AUTH`, ...), `DEAD_LETTER_BUCKET_NAME`, `DEAD_LETTER_TOPICS`, `ON_FAILURE_TOPICS`,
 * `KAFKA_PRODUCE_TOPICS` (comma-separated) and `MAX_MESSAGE_BYTES`. A missing or bad
 * variable is a `ConfigurationError` naming it.
 *
 * @example
 * ```ts
 * const { dependencies, close } = operationDependencies(process.env, { s3: new S3Client({}) });
 * await runDeadLetterOperation(request, dependencies);
 * ```
 */
import type { S3Client } from "@aws-sdk/client-s3";
import { Kafka, logLevel } from "kafkajs";
import * as z from "zod/mini";
import { parseEnvironment, wholeNumber } from "../../config";
import { KafkaProducer, kafkaClientConfig, readKafkaSettings } from "../../kafka";
import { s3OutboxDeadLetters } from "../../outbox/outbox-dead-letters";
import type { OperationDependencies } from "./operations";
import { s3RedriveLedger } from "./redrive-ledger";

const names = z.pipe(
  z.string(),
  z.transform((list: string) =>
    list
      .split(",")
      .map((name) => name.trim())
      .filter((name) => name.length > 0),
  ),
);

const schema = z.object({
  DEAD_LETTER_BUCKET_NAME: z.string().check(z.minLength(1)),
  DEAD_LETTER_TOPICS: names,
  ON_FAILURE_TOPICS: z._default(names, []),
  KAFKA_PRODUCE_TOPICS: z.pipe(
    names,
    z.array(z.string()).check(z.minLength(1, "must name at least one topic")),
  ),
  MAX_MESSAGE_BYTES: wholeNumber({ min: 1, fallback: 1_000_000 }),
});

/** The function name a redrive parks still-poison outbox items under. */
export const DEAD_LETTERS_FUNCTION = "dead-letters";

/** The dependencies, and what closes their connections. */
export const operationDependencies = (
  environment: Readonly<Record<string, string | undefined>>,
  clients: { readonly s3: S3Client },
): { readonly dependencies: OperationDependencies; close(): Promise<void> } => {
  const env = parseEnvironment(schema, environment);
  const kafkaSettings = readKafkaSettings(environment);
  const kafka = new Kafka({ ...kafkaClientConfig(kafkaSettings), logLevel: logLevel.NOTHING });
  const sender = new KafkaProducer(kafkaSettings);
  const bucket = env.DEAD_LETTER_BUCKET_NAME;
  const { s3 } = clients;
  const dependencies: OperationDependencies = {
    places: {
      kafka,
      s3,
      bucket,
      deadLetterTopics: env.DEAD_LETTER_TOPICS,
      onFailureTopics: env.ON_FAILURE_TOPICS,
      ledger: s3RedriveLedger({ client: s3, bucket }),
    },
    redrive: {
      sender,
      relay: {
        deadLetters: s3OutboxDeadLetters({
          client: s3,
          bucket,
          functionName: DEAD_LETTERS_FUNCTION,
        }),
        maxMessageBytes: env.MAX_MESSAGE_BYTES,
        topics: new Set(env.KAFKA_PRODUCE_TOPICS),
      },
    },
  };
  return { dependencies, close: () => sender.disconnect() };
};
