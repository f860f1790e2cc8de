/**
 * An event type no contract declares, and none ever will: the suite's one sample of an
 * unknown type. A plausible next type (say "OrderRefunded") would turn these tests red the
 * day a team adds it for real.
 */
export const FICTIONAL_EVENT_TYPE = "ZzFictionalEventTypeForTests";
