/**
 * Real responses checked against the orders API's OpenAPI document: the status is one the
 * document gives the route, the required headers are there, the content type is one of that
 * response's media types, and the body validates against its schema (ajv, JSON Schema
 * 2020-12; formats are not checked, zod's patterns beside them are). A route the document does
 * not have must answer as its `RouteNotFound` response. A mismatch throws, naming the route,
 * the status and ajv's errors: fix the spec or the code, whichever is wrong.
 *
 * @example
 * ```ts
 * const spec = new OpenApiResponses();
 * spec.check("POST /orders", { status: 201, headers, body });
 * spec.routeKeyOf("POST", "/orders/o-1/ship"); // "POST /orders/{id}/ship"
 * ```
 */
import Ajv2020, { type ValidateFunction } from "ajv/dist/2020";
import {
  type CompiledRoute,
  compileRoutes,
  matchRoute,
} from "../../infra/local/runtime/http-routes";
import type { OpenApiDocument, OpenApiResponse } from "../../shared/orders-api/openapi-document";
import { orderApiSpecification } from "../../shared/orders-api/order-api-specification";

/** A response as a test saw it: its headers (names in any case) and its body as sent. */
export interface ObservedResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | number | boolean | undefined>>;
  readonly body: string | undefined;
}

/** A response the document does not allow for its route and status. */
export class ResponseOutsideSpecificationError extends Error {
  override readonly name = "ResponseOutsideSpecificationError";
}

/** The document's own id in ajv, which its `#/components/...` refs resolve against. */
const DOCUMENT_ID = "urn:orders-api:openapi.json";

/** The OpenAPI document's own keywords: ajv ignores them, and compiles the schemas under them. */
const OPENAPI_KEYWORDS = ["openapi", "jsonSchemaDialect", "info", "paths", "components"];

/** Checks responses against one document; validators are compiled once per schema. */
export class OpenApiResponses {
  readonly document: OpenApiDocument;
  private readonly ajv = new Ajv2020({ strict: true, allErrors: true, validateFormats: false });
  private readonly validators = new Map<string, ValidateFunction>();
  private readonly routes: readonly CompiledRoute[];

  constructor(document: OpenApiDocument = orderApiSpecification()) {
    this.document = document;
    this.ajv.addVocabulary(OPENAPI_KEYWORDS);
    this.ajv.addSchema({ ...document, $id: DOCUMENT_ID });
    this.routes = compileRoutes(
      Object.entries(document.paths).flatMap(([path, operations]) =>
        Object.keys(operations).map((method) => ({
          method: method.toUpperCase(),
          path,
          target: "",
        })),
      ),
    );
  }

  /** The route key of a concrete request ("POST /orders/{id}/ship"), as API Gateway matches it. */
  routeKeyOf(method: string, path: string): string | undefined {
    return matchRoute(this.routes, method, new URL(path, "http://localhost").pathname)?.routeKey;
  }

  /**
   * The validator of a schema of the document by its ref (`#/components/schemas/Order`; the
   * generator names every schema), compiled on first use.
   *
   * @throws when ajv cannot compile it (a keyword it does not know, a ref to nowhere).
   */
  validator(ref: string): ValidateFunction {
    const known = this.validators.get(ref);
    if (known !== undefined) return known;
    const compiled = this.ajv.getSchema(`${DOCUMENT_ID}${ref}`);
    if (compiled === undefined) throw new Error(`The document has no schema at ${ref}`);
    this.validators.set(ref, compiled);
    return compiled;
  }

  /**
   * Throws unless the response is one the document gives `routeKey` for its status.
   *
   * @throws {ResponseOutsideSpecificationError} naming the route, the status and what differs.
   */
  check(routeKey: string, response: ObservedResponse): void {
    const what = `${routeKey} answered ${response.status}`;
    const expected = this.expectedResponse(routeKey, response.status, what);
    const headers = new Map(
      Object.entries(response.headers).map(([name, value]) => [name.toLowerCase(), value]),
    );
    for (const [name, header] of Object.entries(expected.headers ?? {})) {
      if (header.required === true && headers.get(name.toLowerCase()) === undefined) {
        throw new ResponseOutsideSpecificationError(`${what} without its header ${name}`);
      }
    }
    const contentType = String(headers.get("content-type") ?? "");
    const mediaType = contentType.split(";")[0]?.trim().toLowerCase() ?? "";
    const media = expected.content[mediaType];
    if (media === undefined) {
      throw new ResponseOutsideSpecificationError(
        `${what} as "${mediaType}", documented: ${Object.keys(expected.content).join(", ")}`,
      );
    }
    const ref = String(media.schema.$ref);
    const validate = this.validator(ref);
    if (!validate(parseBody(response.body, what))) {
      const errors = this.ajv.errorsText(validate.errors, { separator: "; ", dataVar: "body" });
      throw new ResponseOutsideSpecificationError(
        `${what} with a body outside ${ref}: ${errors}\n${response.body}`,
      );
    }
  }

  /** The document's response for the route and status; `RouteNotFound` for an unknown route. */
  private expectedResponse(routeKey: string, status: number, what: string): OpenApiResponse {
    const [method = "", path = ""] = routeKey.split(" ");
    const operation = this.document.paths[path]?.[method.toLowerCase()];
    const notFound = this.document.components.responses.RouteNotFound;
    if (operation === undefined) {
      if (status === 404 && notFound !== undefined) return notFound;
      throw new ResponseOutsideSpecificationError(`${what}, but the document has no such route`);
    }
    const expected = operation.responses[String(status)];
    if (expected === undefined) {
      const documented = Object.keys(operation.responses).join(", ");
      throw new ResponseOutsideSpecificationError(
        `${what}, a status the document does not give it (documented: ${documented})`,
      );
    }
    return expected;
  }
}

const parseBody = (body: string | undefined, what: string): unknown => {
  try {
    return JSON.parse(body ?? "");
  } catch {
    throw new ResponseOutsideSpecificationError(`${what} with a body that is not JSON: ${body}`);
  }
};
