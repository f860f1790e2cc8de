import { describe, expect, it } from "vitest";
import { systemWiring } from "../../../infra/wiring/system-wiring";
import { orderTransitions, placeOrder } from "../../../shared/orders/commands";
import { orderApiRoutes, routeKeyOf } from "../../../shared/orders-api";

const transitions = Object.values(orderTransitions);

describe("the command registry", () => {
  it("allows each transition only from statuses some command leads to", () => {
    // Prepare
    const statuses = new Set<string>([placeOrder.to, ...transitions.map(({ to }) => to)]);

    // Assess
    for (const command of transitions) {
      expect(command.from.filter((status) => !statuses.has(status))).toEqual([]);
      expect(command.from.length).toBeGreaterThan(0);
    }
  });

  it("gives every command its own route, each served by the API", () => {
    // Prepare
    const commandRoutes = [placeOrder, ...transitions].map(({ route }) => routeKeyOf(route));

    // Assess
    expect(new Set(commandRoutes).size).toBe(commandRoutes.length);
    const served = orderApiRoutes.map(({ route }) => routeKeyOf(route));
    expect(served).toEqual(expect.arrayContaining(commandRoutes));
    expect(new Set(served).size).toBe(served.length);
  });

  it("declares to API Gateway exactly the routes the API serves", () => {
    // Act
    const declared = systemWiring.functions.flatMap((fn) => fn.routes ?? []).map(routeKeyOf);

    // Assess
    expect(declared.sort()).toEqual(orderApiRoutes.map(({ route }) => routeKeyOf(route)).sort());
  });
});
