import { describe, expect, it } from "vitest";
import { z } from "zod";
import { envelopeSchema } from "../../../shared/events/event-contract";
import { lambdaKafkaEventSchema } from "../../../shared/kafka/lambda-kafka-event";
import { orderEventContracts } from "../../../shared/orders/order-events";
import { outboxImageSchema } from "../../../shared/outbox/read-outbox-item";

// Every record a consumer or the relay handles goes through these schemas. `z.compile` falls
// back to zod's interpreter for a schema it cannot compile; strict compilation throws
// instead, so a change that loses a schema its compiled validator fails here.
describe("schemas every record goes through", () => {
  it.each([
    ...Object.values(orderEventContracts).map(
      (contract) => [`the ${contract.eventType} contract`, contract.schema] as const,
    ),
    ["the event envelope", envelopeSchema] as const,
    ["the Lambda Kafka event", lambdaKafkaEventSchema] as const,
    ["the outbox item image", outboxImageSchema] as const,
  ])("compile: %s", (_name, schema) => {
    // Act
    const compile = () => z.compile(schema, { strict: true });

    // Assess
    expect(compile).not.toThrow();
  });
});
