/**
 * The dead letters of every place, in one list: read them (`readInventory`), pick some
 * (`selectEntries`), redrive them (`redriveDeadLetters`) or purge them (`purgeDeadLetters`),
 * with the marks kept in an S3 ledger. The runbook: `docs/operations.md`.
 *
 * @example
 * ```ts
 * const { entries } = await readInventory(places);
 * await redriveDeadLetters(selectEntries(entries, { place: ["dlq"] }), dependencies);
 * ```
 */
export {
  type DeadLetterPlaces,
  type Inventory,
  LAMBDA_ON_FAILURE_PREFIX,
  readInventory,
  type UnreadableLetter,
  withMarks,
} from "./dead-letter-inventory";
export { type DeadLetterFilters, selectEntries } from "./filters";
export { dlqEntry, onFailureEntry } from "./kafka-entries";
export { DEAD_LETTERS_FUNCTION, operationDependencies } from "./operation-environment";
export {
  type DeadLetterAnswer,
  type DeadLetterRequest,
  deadLetterRequestSchema,
  type OperationDependencies,
  runDeadLetterOperation,
} from "./operations";
export { purgeDeadLetters } from "./purge-dead-letters";
export {
  DEAD_LETTERS_READER_GROUP_PREFIX,
  readWholeTopic,
  TopicReadTimeoutError,
} from "./read-whole-topic";
export {
  type RedriveDependencies,
  type RedriveOutcome,
  RedriveRelayError,
  type RelaySettings,
  redriveDeadLetters,
} from "./redrive-dead-letters";
export {
  LEDGER_PREFIX,
  type LedgerMark,
  type LedgerMarks,
  type RedriveLedger,
  s3RedriveLedger,
} from "./redrive-ledger";
export { agedOutEntry, poisonEntry } from "./s3-entries";
export { decodedValue } from "./stored-letter";
export {
  DEAD_LETTER_PLACES,
  type DeadLetterEntry,
  type DeadLetterPlace,
  type DeadLetterSummary,
  type RedrivePayload,
  type StoredAt,
  type StoredLetter,
} from "./types";
