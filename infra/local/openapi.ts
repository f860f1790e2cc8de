/**
 * `npm run openapi`: writes the orders API's OpenAPI 3.1 document, generated from the route
 * table, to `docs/openapi.json` (the npm script then formats it with Biome). A test fails
 * while the committed file differs from the generated document.
 *
 * @example
 * ```sh
 * npm run openapi
 * ```
 */
import { writeFileSync } from "node:fs";
import { relative, resolve } from "node:path";
import { orderApiSpecification } from "../../shared/orders-api/order-api-specification";

/** Where the document is committed. */
export const OPENAPI_DOCUMENT_PATH = resolve(import.meta.dirname, "../../docs/openapi.json");

writeFileSync(OPENAPI_DOCUMENT_PATH, `${JSON.stringify(orderApiSpecification(), null, 2)}\n`);
process.stdout.write(`wrote ${relative(process.cwd(), OPENAPI_DOCUMENT_PATH)}\n`);
