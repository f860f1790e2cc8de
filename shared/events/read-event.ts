/**
 * Reads an event from JSON text or a parsed value: validates the envelope, finds the
 * contract of its type, upcasts older versions, and validates the whole event against the
 * contract. An event at its contract's version is checked once, by the contract, unless that
 * check fails. Returns the typed event, as the contract's schema outputs it, or throws one of
 * the permanent errors of `./errors`.
 *
 * @example
 * ```ts
 * const event = readEvent(orderEventContracts, '{"event_type":"OrderShipped", ...}');
 * if (event.event_type === "OrderShipped") event.data.tracking_number; // typed
 * ```
 */
import type * as z from "zod/mini";
import "../config/zod-messages";
import { InvalidEventError, MalformedEventError, UnknownEventTypeError } from "./errors";
import type { AnyEventOf, EventContract, EventContracts } from "./event-contract";
import { envelopeSchema } from "./event-contract";

/** Enough to see what is wrong; an event breaking its contract everywhere makes no longer text. */
const MAX_DESCRIBED_ISSUES = 20;

const describeIssues = (error: z.core.$ZodError): string[] => {
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
 * Reads one event of the contracts. Throws `MalformedEventError` (not JSON, not an object),
 * `UnknownEventTypeError` (no contract for its `event_type`) or `InvalidEventError` (the
 * envelope or the payload breaks the contract, naming each broken field).
 *
 * @example
 * ```ts
 * const event = readEvent(orderEventContracts, JSON.parse(text));
 * ```
 */
export const readEvent = <C extends EventContracts>(
  contracts: C,
  input: string | unknown,
): AnyEventOf<C> => {
  const value = typeof input === "string" ? parseJson(input) : input;
  if (!isRecord(value)) throw new MalformedEventError("Event is not a JSON object");
  // An event at its contract's version needs its contract's check alone; every other event,
  // valid or not, takes the steps, whose errors name the envelope's problems first.
  // A copy, as the steps parse: the event's own fields, none it inherits.
  const event = currentContractOf(contracts, value)?.schema.safeParse({ ...value });
  if (event?.success) return event.data as AnyEventOf<C>;
  return readInSteps(contracts, value);
};

/** The contract of the event's type, when the event is at that contract's version. */
const currentContractOf = (
  contracts: EventContracts,
  value: Record<string, unknown>,
): EventContract | undefined => {
  const type = value.event_type;
  const contract =
    typeof type === "string" && Object.hasOwn(contracts, type) ? contracts[type] : undefined;
  return contract?.version === value.event_version && isRecord(value.data) ? contract : undefined;
};

/** The envelope, then the contract of its type, upcasting, then the whole event. */
const readInSteps = <C extends EventContracts>(
  contracts: C,
  value: Record<string, unknown>,
): AnyEventOf<C> => {
  const envelope = envelopeSchema.safeParse(value);
  if (!envelope.success) throw new InvalidEventError(describeIssues(envelope.error));

  const { event_type: eventType, event_version: version } = envelope.data;
  const contract = Object.hasOwn(contracts, eventType) ? contracts[eventType] : undefined;
  if (contract === undefined) throw new UnknownEventTypeError(eventType);
  if (version > contract.version) {
    throw new InvalidEventError([
      `event_version: ${version} is newer than the ${contract.version} this reader knows`,
    ]);
  }
  if (!isRecord(envelope.data.data)) throw new InvalidEventError(["data: must be an object"]);

  let data = envelope.data.data;
  for (let from = version; from < contract.version; from += 1) {
    const upcast = contract.upcasters[from];
    if (upcast === undefined) throw new Error(`no upcaster from version ${from}`);
    data = upcast(data, envelope.data);
  }

  const event = contract.schema.safeParse({ ...value, event_version: contract.version, data });
  if (!event.success) throw new InvalidEventError(describeIssues(event.error));
  return event.data as AnyEventOf<C>;
};
