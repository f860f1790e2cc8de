/**
 * The chaos run's clients: a few of them at once, each placing its orders when they are due
 * (spread over the load's duration) and following each up (ship or cancel) after its next
 * one, over plain HTTP with the demo's `ordersClient` (a few attempts per command).
 *
 * Under faults a command may end without an answer. What the run then knows is kept
 * honestly: a placement is asked again later with the same Idempotency-Key (the API answers
 * the first order, or places it now), and an order whose follow-up went unanswered is read
 * back with `GET /orders/{id}` once the faults are over. Each order's last answer is what
 * the read model must show.
 *
 * @example
 * ```ts
 * const tracks = await runLoad({ client, plan, clock, interrupted });
 * await resolveUnanswered(client, tracks);
 * ```
 */
import type { OrdersClient } from "../../infra/local/demo/orders-client";
import type { ApiOrder } from "../../infra/local/demo/read-model-views";
import type { ChaosLoadPlan, ChaosOrder } from "./chaos-plan";

export type FollowUp = "none" | "pending" | "answered" | "unanswered";

/** What the clients know of one order. */
export interface OrderTrack {
  readonly planned: ChaosOrder;
  /** The API's last answer about the order; undefined while its placement is unanswered. */
  last: ApiOrder | undefined;
  followUp: FollowUp;
  /** Commands that ended without the answer wanted, with why. */
  readonly errors: string[];
  /** Read back or placed again after the faults, because an answer was missing. */
  resolvedLater: boolean;
}

export interface LoadInput {
  readonly client: OrdersClient;
  readonly plan: ChaosLoadPlan;
  /** Milliseconds since the load started. */
  readonly clock: () => number;
  readonly interrupted: () => boolean;
}

/** Calls of `placeOrder` (each a few attempts) before a placement is left for later. */
const PLACE_ROUNDS = 3;
const ROUND_PAUSE_MS = 2_000;

const pause = (ms: number): Promise<void> => new Promise((done) => setTimeout(done, ms));

const describe = (error: unknown): string =>
  error instanceof Error ? `${error.name}: ${error.message}`.slice(0, 300) : String(error);

const place = async (client: OrdersClient, track: OrderTrack, rounds: number): Promise<void> => {
  for (let round = 1; round <= rounds && track.last === undefined; round += 1) {
    try {
      track.last = await client.placeOrder(track.planned, track.planned.idempotencyKey);
    } catch (error) {
      track.errors.push(`place: ${describe(error)}`);
      if (round < rounds) await pause(ROUND_PAUSE_MS);
    }
  }
};

const followUp = async (client: OrdersClient, track: OrderTrack): Promise<void> => {
  const order = track.last;
  if (order === undefined || track.followUp !== "pending") return;
  const { fate, index } = track.planned;
  try {
    track.last =
      fate === "ship"
        ? await client.shipOrder(order.order_id, {
            carrier: "DHL",
            tracking_number: `CH${String(index + 1).padStart(8, "0")}`,
          })
        : await client.cancelOrder(order.order_id, "chaos: the customer changed their mind");
    track.followUp = "answered";
  } catch (error) {
    track.errors.push(`${fate}: ${describe(error)}`);
    track.followUp = "unanswered";
  }
};

/** One client: its orders in turn, each followed up after the next one is placed. */
const runClient = async (input: LoadInput, mine: readonly OrderTrack[]): Promise<void> => {
  let previous: OrderTrack | undefined;
  for (const track of mine) {
    if (input.interrupted()) break;
    const wait = track.planned.dueMs - input.clock();
    if (wait > 0) await pause(wait);
    await place(input.client, track, PLACE_ROUNDS);
    if (previous !== undefined) await followUp(input.client, previous);
    previous = track;
  }
  if (previous !== undefined && !input.interrupted()) await followUp(input.client, previous);
};

/** Runs every client to the end of its orders; resolves what they know of each order. */
export const runLoad = async (input: LoadInput): Promise<OrderTrack[]> => {
  const tracks = input.plan.orders.map(
    (planned): OrderTrack => ({
      planned,
      last: undefined,
      followUp: planned.fate === "keep" ? "none" : "pending",
      errors: [],
      resolvedLater: false,
    }),
  );
  const byClient = Map.groupBy(tracks, (track) => track.planned.client);
  await Promise.all([...byClient.values()].map((mine) => runClient(input, mine)));
  return tracks;
};

/**
 * After the faults: each unanswered placement is asked again with its key, and each order
 * whose follow-up went unanswered (or never went out) is read back. Returns what is still
 * unknown, one line per order.
 */
export const resolveUnanswered = async (
  client: OrdersClient,
  tracks: readonly OrderTrack[],
): Promise<string[]> => {
  const unknown: string[] = [];
  for (const track of tracks) {
    if (track.last === undefined) {
      track.resolvedLater = true;
      await place(client, track, PLACE_ROUNDS);
      if (track.last === undefined) {
        unknown.push(`order ${track.planned.idempotencyKey}: placement still unanswered`);
        continue;
      }
      if (track.followUp === "pending") track.followUp = "unanswered";
    }
    if (track.followUp === "unanswered" || track.followUp === "pending") {
      track.resolvedLater = true;
      const orderId = track.last.order_id;
      const order = await client.order(orderId).catch(() => undefined);
      if (order === undefined) unknown.push(`order ${orderId}: cannot be read back`);
      else track.last = order;
    }
  }
  return unknown;
};
