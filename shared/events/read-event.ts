/**
 * Reads an event from JSON text or a parsed value: validates the envelope, finds the
 * contract of its type, upcasts older versions, and validates the payload. Returns the typed
 * event or throws one of the permanent errors of `./errors`.
 *
 * When the contract only checks (`checksOnly`) and the value is at its current version, the
 * event is the value itself, not a copy: do not change a value after reading it. As in
 * `JSON.parse`'s output, a key named `__proto__` is then an own property like any other
 * (parsing would drop it).
 *
 * @example
 * ```ts
 * const event = readEvent(orderEventContracts, '{"event_type":"OrderShipped", ...}');
 * if (event.event_type === "OrderShipped") event.data.tracking_number; // typed
 * ```
 */
import { z } from "zod";
import { InvalidEventError, MalformedEventError, UnknownEventTypeError } from "./errors";
import type { AnyEventOf, EventContracts } from "./event-contract";
import { envelopeSchema } from "./event-contract";

/** Enough to see what is wrong; an event breaking its contract everywhere makes no longer text. */
const MAX_DESCRIBED_ISSUES = 20;

const describeIssues = (error: z.ZodError): string[] => {
  const described = error.issues
    .slice(0, MAX_DESCRIBED_ISSUES)
    .map((issue) => `${issue.path.join(".") || "(event)"}: ${issue.message}`);
  const more = error.issues.length - described.length;
  return more > 0 ? [...described, `(${more} more issues)`] : described;
};

const parseJson = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new MalformedEventError(`Value is not JSON: ${(error as Error).message}`);
  }
};

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * The contract of the value's type when the value is at the contract's current version: then
 * one parse against that contract decides, and the envelope need not be parsed on its own.
 */
const currentContractOf = (
  contracts: EventContracts,
  value: Record<string, unknown>,
): EventContracts[string] | undefined => {
  const eventType = value.event_type;
  if (typeof eventType !== "string" || !Object.hasOwn(contracts, eventType)) return undefined;
  const contract = contracts[eventType];
  return contract?.version === value.event_version ? contract : undefined;
};

export const readEvent = <C extends EventContracts>(
  contracts: C,
  input: string | unknown,
): AnyEventOf<C> => {
  const value = typeof input === "string" ? parseJson(input) : input;
  if (!isRecord(value)) throw new MalformedEventError("Event is not a JSON object");

  // The common case, on the hot path of every consumer. When it fails, the full path below
  // runs to report the failure precisely (envelope first, then the payload).
  const current = currentContractOf(contracts, value);
  if (current !== undefined) {
    // A schema that only checks is validated in place: the event is the value itself.
    if (current.checksOnly) {
      if (z.validate(current.schema, value)) return value as AnyEventOf<C>;
    } else {
      const event = current.schema.safeParse(value);
      if (event.success) return event.data as AnyEventOf<C>;
    }
  }

  const envelope = envelopeSchema.safeParse(value);
  if (!envelope.success) throw new InvalidEventError(describeIssues(envelope.error));

  const contract = contracts[envelope.data.event_type];
  if (contract === undefined || !Object.hasOwn(contracts, envelope.data.event_type)) {
    throw new UnknownEventTypeError(envelope.data.event_type);
  }
  if (envelope.data.event_version > contract.version) {
    throw new InvalidEventError([
      `event_version: ${envelope.data.event_version} is newer than the ${contract.version} this reader knows`,
    ]);
  }
  if (!isRecord(envelope.data.data)) throw new InvalidEventError(["data: must be an object"]);

  let data = envelope.data.data;
  for (let version = envelope.data.event_version; version < contract.version; version += 1) {
    const upcast = contract.upcasters[version];
    if (upcast === undefined) throw new Error(`no upcaster from version ${version}`);
    data = upcast(data, envelope.data);
  }

  const event = contract.schema.safeParse({ ...value, event_version: contract.version, data });
  if (!event.success) throw new InvalidEventError(describeIssues(event.error));
  return event.data as AnyEventOf<C>;
};
