/**
 * The functions as the wiring declares them, for tests that run every consumer (or every
 * read-model consumer) without listing them: a function added to the wiring is in these
 * tests from then on.
 */
import { resolve } from "node:path";
import { systemWiring } from "../../infra/wiring/system-wiring";
import type { FunctionDeclaration } from "../../infra/wiring/types";

/** Every function triggered by `order-events`: the read-model consumers and unrouted-events. */
export const orderEventConsumers: readonly string[] = systemWiring.functions
  .filter((fn) => fn.trigger?.kind === "kafka")
  .map((fn) => fn.name);

/** The consumers that apply their event type to the read model (they read its table). */
export const readModelConsumers: readonly string[] = systemWiring.functions
  .filter((fn) => fn.trigger?.kind === "kafka" && (fn.access.tables ?? []).length > 0)
  .map((fn) => fn.name);

const declarationOf = (name: string): FunctionDeclaration => {
  const declaration = systemWiring.functions.find((fn) => fn.name === name);
  if (declaration === undefined) throw new Error(`The wiring declares no function "${name}"`);
  return declaration;
};

/**
 * The `handler` export of a declared function's entry file, imported now (so after the test
 * has set the environment the function reads at cold start).
 */
export const importDeclaredHandler = async <H>(name: string): Promise<H> => {
  const entry = resolve(import.meta.dirname, "../..", declarationOf(name).entry);
  const module = (await import(entry)) as { readonly handler: H };
  return module.handler;
};
