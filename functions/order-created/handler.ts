/**
 * order-created: applies OrderCreated events to the read model (order view and customer stats),
 * exactly once per event_id, whatever order they arrive in. Triggered by the records of
 * `order-events` whose value has `event_type: OrderCreated`; poison goes to the dead-letter
 * topic with its reason.
 */
import { readModelConsumerHandler } from "../../shared/read-model/read-model-consumer";

export const handler = readModelConsumerHandler("OrderCreated", "order-created");
