import { describe, expect, it } from "vitest";
import { systemWiring } from "../../../infra/wiring/system-wiring";
import { orderTransitions, placeOrder } from "../../../shared/orders/commands";
import { orderEventTypes } from "../../../shared/orders/order-events";
import { orderApiRoutes, routeKeyOf } from "../../../shared/orders-api";
import { orderProjections } from "../../../shared/read-model/projections";

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

  it("has one command yielding each event type: a command left out of the registry shows here", () => {
    // Act
    const yielded = [placeOrder, ...transitions].map(({ event }) => event.eventType);

    // Assess
    expect([...yielded].sort()).toEqual([...orderEventTypes].sort());
  });

  it("leads each command to the status the view shows for its event", () => {
    // Assess
    for (const command of [placeOrder, ...transitions]) {
      expect([command.event.eventType, command.to]).toEqual([
        command.event.eventType,
        orderProjections[command.event.eventType].status,
      ]);
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
