/**
 * unrouted-events: the unfiltered consumer of `order-events` that closes the blind spot of
 * event source filters. A record no consumer's filter matches (not JSON, no or an unknown
 * `event_type`) would be skipped by every filtered mapping and vanish; this function
 * dead-letters exactly those, with their reason, and skips every record of a routed type.
 */
import * as z from "zod/mini";
import { parseEnvironment } from "../../shared/config";
import { consumerFunctionEdges, unroutedConsumerHandler } from "../../shared/consumer";

const config = parseEnvironment(
  z.object({
    POWERTOOLS_SERVICE_NAME: z._default(z.string(), "unrouted-events"),
    // The event types some consumer's filter takes, from the wiring: a type with a contract
    // but no consumer is unrouted, and must be dead-lettered here rather than vanish.
    ROUTED_EVENT_TYPES: z.pipe(
      z.string().check(z.minLength(1)),
      z.transform((list) => list.split(",").map((type) => type.trim())),
    ),
  }),
  process.env,
);

export const handler = unroutedConsumerHandler({
  ...consumerFunctionEdges(config.POWERTOOLS_SERVICE_NAME),
  routedEventTypes: config.ROUTED_EVENT_TYPES,
});
