/**
 * Ids and times for sample events: drawn from a seed, so the same seed gives the same event
 * byte for byte (the shipped samples under `events/` are made with one), or fresh ones each
 * run when no seed is given.
 *
 * @example
 * ```ts
 * const ids = new SampleIds("events");
 * ids.uuid("order-1") === new SampleIds("events").uuid("order-1"); // true
 * ```
 */
import { createHash, randomUUID } from "node:crypto";

/** When seeded samples happen: fixed, so that they regenerate identically. */
export const SEEDED_SAMPLE_TIME = new Date("2026-11-26T09:00:00.000Z");

/** Names things of one sample: the same label under the same seed is the same id. */
export class SampleIds {
  readonly seed: string;
  /** When the sample's events happen: fixed with a seed, now without one. */
  readonly at: Date;

  /** A seed makes every id and time repeatable; without one they are fresh. */
  constructor(seed?: string) {
    this.seed = seed ?? randomUUID();
    this.at = seed === undefined ? new Date() : SEEDED_SAMPLE_TIME;
  }

  /** A version 4 UUID for the label, derived from the seed. */
  uuid(label: string): string {
    const hex = createHash("sha256").update(`${this.seed}\u0000${label}`).digest("hex");
    const variant = ((Number.parseInt(hex.charAt(16), 16) & 0x3) | 0x8).toString(16);
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
  }

  /** A short tag of the seed, for names such as a sample customer's id. */
  tag(label: string): string {
    return this.uuid(label).slice(0, 8);
  }

  /** The sample's time plus `milliseconds`, so records of one batch keep their order. */
  after(milliseconds: number): Date {
    return new Date(this.at.getTime() + milliseconds);
  }
}
