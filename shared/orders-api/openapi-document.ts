/**
 * The OpenAPI 3.1 document of a route table, generated, never written by hand: each route's
 * path parameters and request headers, its request body's schema (as a client sends it: zod's
 * input side), its success response's shape and the problems it answers with (zod's output
 * side), and what API Gateway answers on its own. Schemas are converted by `z.toJSONSchema`
 * (JSON Schema 2020-12, OpenAPI 3.1's dialect) and named under `components.schemas`.
 * Refinements zod cannot express (an order's total limit, well-formed text) are checked by
 * the routes but absent from the document. Pure: route table in, document out. Deployed
 * functions do not import it: `infra/local/openapi.ts` does.
 *
 * @example
 * ```ts
 * const document = openApiDocument({ info, routes: orderApiRoutes, problemBody, gateway });
 * document.paths["/orders"]?.post?.operationId; // "placeOrder"
 * ```
 */
import * as z from "zod/mini";
import { REQUEST_ID_HEADER } from "../http/http-problem-details";
import { PROBLEM_CONTENT_TYPE } from "../http/problem-details";
import type { NamedSchema, OrderApiRoute } from "./order-api-route";

/** A JSON Schema (2020-12) as it stands in the document. */
export type JsonSchemaObject = Readonly<Record<string, unknown>>;

/** What the document is generated from. */
export interface OpenApiInput {
  readonly info: {
    readonly title: string;
    readonly version: string;
    readonly description?: string;
  };
  readonly routes: readonly OrderApiRoute[];
  /** The body of every error the function answers with (RFC 9457 problem details). */
  readonly problemBody: NamedSchema;
  /** What API Gateway answers on its own on any declared route, and its body. */
  readonly gateway: {
    readonly body: NamedSchema;
    readonly answers: Readonly<Record<number, string>>;
  };
}

/** A parameter of an operation: a path segment or a request header. */
export interface OpenApiParameter {
  readonly name: string;
  readonly in: "path" | "header";
  readonly required: boolean;
  readonly description: string;
  readonly schema: JsonSchemaObject;
}

/** A response header; `required` when every response of its status carries it. */
export interface OpenApiHeader {
  readonly description: string;
  readonly required?: true;
  readonly schema: JsonSchemaObject;
}

/** A response of an operation, by media type. */
export interface OpenApiResponse {
  readonly description: string;
  readonly headers?: Readonly<Record<string, OpenApiHeader>>;
  readonly content: Readonly<Record<string, { schema: JsonSchemaObject }>>;
}

/** One operation: a method on a path. */
export interface OpenApiOperation {
  readonly operationId: string;
  readonly summary: string;
  readonly parameters: readonly OpenApiParameter[];
  readonly requestBody?: {
    readonly required: true;
    readonly content: Readonly<Record<string, { schema: JsonSchemaObject }>>;
  };
  readonly responses: Readonly<Record<string, OpenApiResponse>>;
}

/** The OpenAPI 3.1 document. */
export interface OpenApiDocument {
  readonly openapi: "3.1.0";
  readonly jsonSchemaDialect: string;
  readonly info: OpenApiInput["info"];
  readonly paths: Readonly<Record<string, Readonly<Record<string, OpenApiOperation>>>>;
  readonly components: {
    readonly schemas: Readonly<Record<string, JsonSchemaObject>>;
    /** `RouteNotFound`: the answer to a method and path no route declares. */
    readonly responses: Readonly<Record<string, OpenApiResponse>>;
  };
}

/** Two different schemas were given the same component name. */
export class DuplicateSchemaNameError extends Error {
  override readonly name = "DuplicateSchemaNameError";
}

const JSON_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema";
const TEXT: JsonSchemaObject = { type: "string" };
const refTo = ({ name }: NamedSchema): JsonSchemaObject => ({
  $ref: `#/components/schemas/${name}`,
});

/** Every named schema once, by name; a name given to two schemas is an error. */
const collect = (schemas: readonly NamedSchema[]): Map<string, z.core.$ZodType> => {
  const byName = new Map<string, z.core.$ZodType>();
  for (const { name, schema } of schemas) {
    const known = byName.get(name);
    if (known !== undefined && known !== schema) {
      throw new DuplicateSchemaNameError(`Two different schemas are named ${name}`);
    }
    byName.set(name, schema);
  }
  return byName;
};

/** The schemas as JSON Schema, each named, refs between them pointing into the document. */
const convert = (
  schemas: readonly NamedSchema[],
  io: "input" | "output",
): Record<string, JsonSchemaObject> => {
  const registry = z.registry<{ id: string }>();
  for (const [name, schema] of collect(schemas)) registry.add(schema, { id: name });
  const converted = z.toJSONSchema(registry, {
    target: "draft-2020-12",
    io,
    uri: (id) => `#/components/schemas/${id}`,
  });
  return Object.fromEntries(
    Object.entries(converted.schemas).map(([name, { $schema, $id, ...schema }]) => [name, schema]),
  );
};

const headersOf = (headers: Readonly<Record<string, string>>): Record<string, OpenApiHeader> =>
  Object.fromEntries(
    Object.entries(headers).map(([name, description]) => [name, { description, schema: TEXT }]),
  );

/**
 * `x-request-id`: on every answer of the function, so required where only the function
 * answers; API Gateway's own answers (same statuses, other body) do not carry it.
 */
const requestIdHeader = (onlyTheFunctionAnswers: boolean): Record<string, OpenApiHeader> => ({
  [REQUEST_ID_HEADER]: {
    description: "API Gateway's request id",
    ...(onlyTheFunctionAnswers ? { required: true } : {}),
    schema: TEXT,
  },
});

/** The error responses of a route: its problems, and API Gateway's own answers. */
const errorResponses = (
  route: OrderApiRoute,
  input: OpenApiInput,
): Record<string, OpenApiResponse> => {
  const { problems } = route.responses;
  const { answers, body } = input.gateway;
  const statuses = [...new Set([...Object.keys(problems), ...Object.keys(answers)])].map(Number);
  return Object.fromEntries(
    statuses.map((status) => {
      const problem = problems[status];
      const answer = answers[status];
      const response: OpenApiResponse = {
        description: [problem, answer && `API Gateway: ${answer}`].filter(Boolean).join(". "),
        ...(problem === undefined ? {} : { headers: requestIdHeader(answer === undefined) }),
        content: {
          ...(problem === undefined
            ? {}
            : { [PROBLEM_CONTENT_TYPE]: { schema: refTo(input.problemBody) } }),
          ...(answer === undefined ? {} : { "application/json": { schema: refTo(body) } }),
        },
      };
      return [String(status), response];
    }),
  );
};

/** The parameters of a route: each `{name}` of its path, then the request headers it reads. */
const parametersOf = (route: OrderApiRoute): OpenApiParameter[] => [
  ...[...route.route.path.matchAll(/\{(\w+)\}/g)].map(([, name = ""]) => ({
    name,
    in: "path" as const,
    required: true,
    description: route.pathParameters?.[name] ?? name,
    schema: TEXT,
  })),
  ...Object.entries(route.request?.headers ?? {}).map(([name, description]) => ({
    name,
    in: "header" as const,
    required: false,
    description,
    schema: TEXT,
  })),
];

/** The operation of one route. */
const operationOf = (route: OrderApiRoute, input: OpenApiInput): OpenApiOperation => {
  const { success } = route.responses;
  const body = route.request?.body;
  return {
    operationId: route.operationId,
    summary: route.summary,
    parameters: parametersOf(route),
    ...(body === undefined
      ? {}
      : {
          requestBody: { required: true, content: { "application/json": { schema: refTo(body) } } },
        }),
    responses: {
      [String(success.status)]: {
        description: success.description,
        headers: { ...requestIdHeader(true), ...headersOf(success.headers ?? {}) },
        content: { "application/json": { schema: refTo(success.body) } },
      },
      ...errorResponses(route, input),
    },
  };
};

/** Every path of the routes, each with its operations by lower-case method. */
const pathsOf = (input: OpenApiInput): OpenApiDocument["paths"] => {
  const paths: Record<string, Record<string, OpenApiOperation>> = {};
  for (const route of input.routes) {
    paths[route.route.path] = {
      ...paths[route.route.path],
      [route.route.method.toLowerCase()]: operationOf(route, input),
    };
  }
  return paths;
};

/**
 * The OpenAPI 3.1 document of `input.routes`.
 *
 * @throws {DuplicateSchemaNameError} when two different schemas share a component name.
 * @example
 * ```ts
 * const document = openApiDocument({ info: { title: "Orders", version: "1" }, routes, problemBody, gateway });
 * JSON.stringify(document, null, 2); // what `npm run openapi` writes
 * ```
 */
export const openApiDocument = (input: OpenApiInput): OpenApiDocument => {
  const requests = input.routes.flatMap(({ request }) => (request?.body ? [request.body] : []));
  const responses = [
    ...input.routes.map(({ responses }) => responses.success.body),
    input.problemBody,
    input.gateway.body,
  ];
  collect([...requests, ...responses]);
  return {
    openapi: "3.1.0",
    jsonSchemaDialect: JSON_SCHEMA_DIALECT,
    info: input.info,
    paths: pathsOf(input),
    components: {
      schemas: { ...convert(requests, "input"), ...convert(responses, "output") },
      responses: {
        RouteNotFound: {
          description:
            "No route has this method and path (API Gateway answers it, or the function)",
          content: {
            [PROBLEM_CONTENT_TYPE]: { schema: refTo(input.problemBody) },
            "application/json": { schema: refTo(input.gateway.body) },
          },
        },
      },
    },
  };
};
