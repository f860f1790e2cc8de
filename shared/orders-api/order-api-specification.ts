/**
 * The orders API's OpenAPI 3.1 document, generated from its route table: what
 * `npm run openapi` writes to `docs/openapi.json` and the local HTTP API serves at
 * `GET /openapi.json`. Deployed functions do not import it (nor the generator).
 *
 * @example
 * ```ts
 * const document = orderApiSpecification();
 * Object.keys(document.paths); // ["/orders", "/orders/{id}/ship", ...]
 * ```
 */
import { type OpenApiDocument, openApiDocument } from "./openapi-document";
import { orderApiRoutes } from "./order-api";
import {
  apiGatewayAnswers,
  apiGatewayMessageResponse,
  problemDetailsResponse,
} from "./response-schemas";

/** The document of {@link orderApiRoutes}. */
export const orderApiSpecification = (): OpenApiDocument =>
  openApiDocument({
    info: {
      title: "Orders API",
      version: "1",
      description:
        "Orders over API Gateway HTTP API: commands write an order and its event, queries read " +
        "the read model. Generated from the route table (shared/orders-api/) by `npm run openapi`.",
    },
    routes: orderApiRoutes,
    problemBody: problemDetailsResponse,
    gateway: { body: apiGatewayMessageResponse, answers: apiGatewayAnswers },
  });
