/**
 * API Gateway HTTP API route matching for the local server: a request's method and path
 * against the declared route keys ("POST /orders/{id}/ship"), giving the route key and the
 * path parameters API Gateway would pass.
 *
 * @example
 * ```ts
 * const match = matchRoute(routes, "POST", "/orders/o-1/ship");
 * // { routeKey: "POST /orders/{id}/ship", pathParameters: { id: "o-1" }, target: "orders-api" }
 * ```
 */

/** A route as a function declares it, with the function that serves it. */
export interface DeclaredRoute {
  readonly method: string;
  readonly path: string;
  /** The function that serves it. */
  readonly target: string;
}

/** The route a request matched, with its decoded path parameters. */
export interface RouteMatch {
  readonly routeKey: string;
  readonly pathParameters: Record<string, string>;
  readonly target: string;
}

/** A declared route made ready for matching. */
export interface CompiledRoute {
  readonly route: DeclaredRoute;
  readonly pattern: RegExp;
  readonly names: readonly string[];
  /** Literal characters: a more specific route wins, as in API Gateway. */
  readonly specificity: number;
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^$()|[\]\\]/g, "\\$&");

/** The routes ready for matching, most specific first. */
export const compileRoutes = (routes: readonly DeclaredRoute[]): readonly CompiledRoute[] =>
  routes
    .map((route) => {
      const names: string[] = [];
      const source = route.path
        .split(/(\{[^}]+\})/)
        .map((part) => {
          const name = /^\{([^}+]+)\}$/.exec(part)?.[1];
          if (name === undefined) return escapeRegExp(part);
          names.push(name);
          return "([^/]+)";
        })
        .join("");
      return {
        route,
        pattern: new RegExp(`^${source}$`),
        names,
        specificity: route.path.replace(/\{[^}]+\}/g, "").length,
      };
    })
    .sort((a, b) => b.specificity - a.specificity);

/** The first (most specific) route of the method whose path matches, if any. */
export const matchRoute = (
  routes: readonly CompiledRoute[],
  method: string,
  path: string,
): RouteMatch | undefined => {
  for (const { route, pattern, names } of routes) {
    if (route.method !== method.toUpperCase()) continue;
    const match = pattern.exec(path);
    if (match === null) continue;
    const pathParameters: Record<string, string> = {};
    for (const [index, name] of names.entries()) {
      const raw = match[index + 1] ?? "";
      try {
        pathParameters[name] = decodeURIComponent(raw);
      } catch {
        // API Gateway passes a malformed escape through undecoded rather than failing.
        pathParameters[name] = raw;
      }
    }
    return { routeKey: `${route.method} ${route.path}`, pathParameters, target: route.target };
  }
  return undefined;
};
