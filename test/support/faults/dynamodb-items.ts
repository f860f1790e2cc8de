/**
 * Which items a DynamoDB write request touches, named `<table>:<hash key>/<range key>` (the
 * key attributes' values in key-schema order; a key attribute's type is fixed by its table,
 * so the value's text alone tells items apart). A `Put` carries the whole item rather than
 * its key, so the table's key schema is asked for (`DescribeTable`) and kept.
 *
 * @example
 * ```ts
 * const items = await writtenItems("TransactWriteItems", body, keySchemaOf);
 * items; // ["order-read-model:EVENT#1/PROCESSED", "order-read-model:CUSTOMER#c-1/STATS", ...]
 * ```
 */

/** A DynamoDB attribute value in its JSON form, e.g. `{ "S": "ORDER#1" }`. */
type AttributeValue = Readonly<Record<string, unknown>>;
type Attributes = Readonly<Record<string, AttributeValue>>;

/** The key attribute names of a table, hash key first; `undefined` when it cannot be known. */
export type KeySchemaOf = (table: string) => Promise<readonly string[] | undefined>;

/** One write of a request: its table, and its key or whole item. */
interface Write {
  readonly table: string;
  readonly attributes: Attributes;
}

/** The operations whose items meet transactions in DynamoDB. */
export const ITEM_WRITE_OPERATIONS = new Set([
  "TransactWriteItems",
  "PutItem",
  "UpdateItem",
  "DeleteItem",
]);

const isObject = (value: unknown): value is Readonly<Record<string, unknown>> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

const writeOf = (operation: unknown): Write | undefined => {
  if (!isObject(operation) || typeof operation.TableName !== "string") return undefined;
  const attributes = operation.Item ?? operation.Key;
  if (!isObject(attributes)) return undefined;
  return { table: operation.TableName, attributes: attributes as Attributes };
};

/** The writes of a request, in order (a transaction's: one per item, as its reasons are). */
const writesOf = (operation: string, body: unknown): (Write | undefined)[] => {
  if (!isObject(body)) return [];
  if (operation !== "TransactWriteItems") return [writeOf(body)];
  const items = Array.isArray(body.TransactItems) ? body.TransactItems : [];
  return items.map((item: unknown) =>
    isObject(item)
      ? writeOf(item.Put ?? item.Update ?? item.Delete ?? item.ConditionCheck)
      : undefined,
  );
};

/**
 * How many writes the request makes: a transaction's items, one for any other request.
 *
 * @example
 * ```ts
 * writeCount("TransactWriteItems", { TransactItems: [put, update, update] }); // 3
 * ```
 */
export const writeCount = (operation: string, body: unknown): number =>
  Math.max(1, writesOf(operation, body).length);

const scalarText = (value: AttributeValue | undefined): string => {
  const [scalar] = Object.values(value ?? {});
  return typeof scalar === "string" ? scalar : JSON.stringify(scalar);
};

/**
 * The items `body` writes, one name per write in request order (`undefined` where a write
 * names no item this can read; DynamoDB refuses such a request itself).
 */
export const writtenItems = async (
  operation: string,
  body: unknown,
  keySchemaOf: KeySchemaOf,
): Promise<(string | undefined)[]> =>
  Promise.all(
    writesOf(operation, body).map(async (write) => {
      if (write === undefined) return undefined;
      const names = await keySchemaOf(write.table);
      if (names === undefined || !names.every((name) => write.attributes[name] !== undefined))
        return undefined;
      return `${write.table}:${names.map((name) => scalarText(write.attributes[name])).join("/")}`;
    }),
  );

/**
 * The tables a request names: its `TableName`, each transaction item's, and the tables of a
 * batch's `RequestItems`; none when its body names no table.
 *
 * @example
 * ```ts
 * requestTables("TransactWriteItems", { TransactItems: [{ Put: { TableName: "orders", ... } }] }); // ["orders"]
 * ```
 */
export const requestTables = (operation: string, body: unknown): string[] => {
  if (!isObject(body)) return [];
  const tables = new Set<string>();
  if (typeof body.TableName === "string") tables.add(body.TableName);
  if (operation === "TransactWriteItems" || operation === "TransactGetItems") {
    for (const item of Array.isArray(body.TransactItems) ? body.TransactItems : []) {
      if (!isObject(item)) continue;
      for (const part of Object.values(item)) {
        if (isObject(part) && typeof part.TableName === "string") tables.add(part.TableName);
      }
    }
  }
  if (isObject(body.RequestItems))
    for (const table of Object.keys(body.RequestItems)) tables.add(table);
  return [...tables];
};
