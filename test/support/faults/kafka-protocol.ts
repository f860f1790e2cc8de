/**
 * Just enough of Kafka's wire protocol for a proxy: cutting a byte stream into size-prefixed
 * frames, reading a request's header (API key, version, correlation id) and a response's
 * correlation id, and rewriting the broker addresses a client is told to connect to (the
 * brokers of a `Metadata` response, the coordinator of a `FindCoordinator` response), so a
 * client that bootstraps through the proxy stays on it.
 *
 * Both the classic encodings and the flexible ones (compact strings and arrays, tagged
 * fields: `Metadata` from v9, `FindCoordinator` from v3) are read. kafkajs 2.2.4 speaks
 * `Metadata` up to v6 and `FindCoordinator` up to v2.
 *
 * @example
 * ```ts
 * const frames = frameReader();
 * for (const frame of frames.push(chunk)) requestHeaderOf(frame).apiKey; // 0: Produce
 * ```
 */

/** The API keys a proxy rule can name. */
export const KAFKA_API_KEYS = {
  Produce: 0,
  Fetch: 1,
  ListOffsets: 2,
  Metadata: 3,
  OffsetCommit: 8,
  OffsetFetch: 9,
  FindCoordinator: 10,
  JoinGroup: 11,
  Heartbeat: 12,
  LeaveGroup: 13,
  SyncGroup: 14,
  SaslHandshake: 17,
  ApiVersions: 18,
  CreateTopics: 19,
  DeleteTopics: 20,
  InitProducerId: 22,
  SaslAuthenticate: 36,
} as const;

/** The name of a Kafka API, e.g. `Produce`. */
export type KafkaApiName = keyof typeof KAFKA_API_KEYS;

const API_NAMES = new Map<number, KafkaApiName>(
  Object.entries(KAFKA_API_KEYS).map(([name, key]) => [key, name as KafkaApiName]),
);

/**
 * The name of an API key, or `api-<key>` for one not in {@link KAFKA_API_KEYS}.
 *
 * @example
 * ```ts
 * apiName(0); // "Produce"
 * ```
 */
export const apiName = (apiKey: number): string => API_NAMES.get(apiKey) ?? `api-${apiKey}`;

/** What a request's header says. */
export interface RequestHeader {
  readonly apiKey: number;
  readonly apiVersion: number;
  readonly correlationId: number;
}

/**
 * Cuts a byte stream into whole frames (the 4-byte size included).
 *
 * @example
 * ```ts
 * socket.on("data", (chunk) => { for (const frame of frames.push(chunk)) send(frame); });
 * ```
 */
export const frameReader = () => {
  let pending: Buffer = Buffer.alloc(0);
  return {
    push(chunk: Buffer): Buffer[] {
      pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
      const frames: Buffer[] = [];
      while (pending.length >= 4) {
        const length = 4 + pending.readInt32BE(0);
        if (pending.length < length) break;
        frames.push(pending.subarray(0, length));
        pending = pending.subarray(length);
      }
      return frames;
    },
  };
};

/**
 * A request frame's header.
 *
 * @example
 * ```ts
 * requestHeaderOf(frame); // { apiKey: 3, apiVersion: 6, correlationId: 2 }
 * ```
 */
export const requestHeaderOf = (frame: Buffer): RequestHeader => ({
  apiKey: frame.readInt16BE(4),
  apiVersion: frame.readInt16BE(6),
  correlationId: frame.readInt32BE(8),
});

/**
 * A response frame's correlation id.
 *
 * @example
 * ```ts
 * const request = pending.get(correlationIdOf(frame));
 * ```
 */
export const correlationIdOf = (frame: Buffer): number => frame.readInt32BE(4);

/** Reads a frame's fields in order, classic or flexible. */
class FieldReader {
  constructor(
    readonly frame: Buffer,
    public position: number,
    readonly flexible: boolean,
  ) {}

  skip(bytes: number): void {
    this.position += bytes;
  }

  int32(): number {
    const value = this.frame.readInt32BE(this.position);
    this.position += 4;
    return value;
  }

  unsignedVarint(): number {
    let value = 0;
    for (let shift = 0; ; shift += 7) {
      const byte = this.frame.readUInt8(this.position);
      this.position += 1;
      value += (byte & 0x7f) * 2 ** shift;
      if ((byte & 0x80) === 0) return value;
    }
  }

  /** A string or nullable string; its text (`undefined` for null). */
  string(): string | undefined {
    const length = this.flexible
      ? this.unsignedVarint() - 1
      : this.frame.readInt16BE(this.position);
    if (!this.flexible) this.position += 2;
    if (length < 0) return undefined;
    const text = this.frame.toString("utf8", this.position, this.position + length);
    this.position += length;
    return text;
  }

  arrayLength(): number {
    return this.flexible ? this.unsignedVarint() - 1 : this.int32();
  }

  taggedFields(): void {
    if (!this.flexible) return;
    const count = this.unsignedVarint();
    for (let field = 0; field < count; field += 1) {
      this.unsignedVarint();
      this.skip(this.unsignedVarint());
    }
  }
}

/** Where a broker's host and port sit in a frame, and what they say. */
interface AddressField {
  readonly start: number;
  readonly end: number;
  readonly host: string;
  readonly port: number;
}

const readAddress = (reader: FieldReader): AddressField => {
  const start = reader.position;
  const host = reader.string() ?? "";
  const port = reader.int32();
  return { start, end: reader.position, host, port };
};

const encodeAddress = (host: string, port: number, flexible: boolean): Buffer => {
  const text = Buffer.from(host, "utf8");
  const length = flexible ? encodeUnsignedVarint(text.length + 1) : Buffer.alloc(2);
  if (!flexible) length.writeInt16BE(text.length);
  const portBytes = Buffer.alloc(4);
  portBytes.writeInt32BE(port);
  return Buffer.concat([length, text, portBytes]);
};

const encodeUnsignedVarint = (value: number): Buffer => {
  const bytes: number[] = [];
  let rest = value;
  while (rest >= 0x80) {
    bytes.push((rest & 0x7f) | 0x80);
    rest = Math.floor(rest / 128);
  }
  bytes.push(rest);
  return Buffer.from(bytes);
};

/** A response's reader past its header (correlation id, and tagged fields when flexible). */
const bodyReader = (frame: Buffer, flexible: boolean): FieldReader => {
  const reader = new FieldReader(frame, 8, flexible);
  reader.taggedFields();
  return reader;
};

const metadataBrokers = (frame: Buffer, version: number): AddressField[] => {
  const reader = bodyReader(frame, version >= 9);
  if (version >= 3) reader.skip(4); // throttle_time_ms
  const addresses: AddressField[] = [];
  for (let count = reader.arrayLength(); count > 0; count -= 1) {
    reader.skip(4); // node_id
    addresses.push(readAddress(reader));
    if (version >= 1) reader.string(); // rack
    reader.taggedFields();
  }
  return addresses;
};

const coordinators = (frame: Buffer, version: number): AddressField[] => {
  const reader = bodyReader(frame, version >= 3);
  if (version === 0) {
    reader.skip(2 + 4); // error_code, node_id
    return [readAddress(reader)];
  }
  reader.skip(4); // throttle_time_ms
  if (version <= 3) {
    reader.skip(2); // error_code
    reader.string(); // error_message
    reader.skip(4); // node_id
    return [readAddress(reader)];
  }
  const addresses: AddressField[] = [];
  for (let count = reader.arrayLength(); count > 0; count -= 1) {
    reader.string(); // key
    reader.skip(4); // node_id
    addresses.push(readAddress(reader));
    reader.skip(2); // error_code
    reader.string(); // error_message
    reader.taggedFields();
  }
  return addresses;
};

/** Maps an advertised broker address to the one clients should use; `undefined`: keep it. */
export type AddressMap = (host: string, port: number) => { host: string; port: number } | undefined;

const isFlexible = (apiKey: number, version: number): boolean =>
  apiKey === KAFKA_API_KEYS.Metadata ? version >= 9 : version >= 3;

/**
 * The response with the broker addresses it names rewritten by `map`, or `undefined` when it
 * names none to rewrite (any API but `Metadata` and `FindCoordinator`).
 *
 * @example
 * ```ts
 * const rewritten = rewriteAddresses(frame, request, (host, port) => ({ host, port: proxyPort }));
 * ```
 */
export const rewriteAddresses = (
  frame: Buffer,
  request: RequestHeader,
  map: AddressMap,
): Buffer | undefined => {
  const { apiKey, apiVersion } = request;
  let fields: AddressField[];
  if (apiKey === KAFKA_API_KEYS.Metadata) fields = metadataBrokers(frame, apiVersion);
  else if (apiKey === KAFKA_API_KEYS.FindCoordinator) fields = coordinators(frame, apiVersion);
  else return undefined;
  const parts: Buffer[] = [];
  let copied = 4;
  let rewritten = 0;
  for (const field of fields) {
    const target = map(field.host, field.port);
    if (target === undefined) continue;
    parts.push(
      frame.subarray(copied, field.start),
      encodeAddress(target.host, target.port, isFlexible(apiKey, apiVersion)),
    );
    copied = field.end;
    rewritten += 1;
  }
  if (rewritten === 0) return undefined;
  const body = Buffer.concat([...parts, frame.subarray(copied)]);
  const size = Buffer.alloc(4);
  size.writeInt32BE(body.length);
  return Buffer.concat([size, body]);
};
