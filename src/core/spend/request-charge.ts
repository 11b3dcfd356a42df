// What one request cost, from the billing events FAL listed for it in one answer: their sum (several
// events add up, the same event listed twice counts once), dated by the first, refunds held apart, and
// an account FAL cannot keep (refunded more than charged) told as impossible. Pure: no store, no clock.
import type { BillingEvent } from '../fal/platform-client';
import { eventCostUsd } from '../fal/platform-schemas';

/**
 * When a billing event's charge was made, held between the request's send and now: a date outside
 * that cannot be the charge's (a garbled "0" reads as the year 2000; a wrong clock or format), and the
 * cost it dates replaces the request's estimate - dated outside this month, the month's spend and the
 * spending cap would lose it. No date at all: now.
 */
function chargedAt(timestamp: string, sentAt: number, now: number): number {
  const at = Date.parse(timestamp);
  return Number.isFinite(at) ? Math.min(Math.max(at, Math.min(sentAt, now)), now) : now;
}

/** A billing event told apart from another: the whole row (FAL documents no event id; any id it adds is part of the row). */
function eventKey(event: BillingEvent): string {
  const sorted = (value: unknown): unknown =>
    Array.isArray(value) ? value.map(sorted)
    : value !== null && typeof value === 'object' ? Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, v]) => [k, sorted(v)]))
    : value;
  return JSON.stringify(sorted(event));
}

/**
 * What one request cost, from all its billing events in one answer: FAL may bill a request in several
 * events, which add up (the last one replaced the others before). The same event listed twice (a page
 * read again as the cursor moved) counts once; every sync asks afresh and stores the total, so a sync
 * run again counts nothing twice. An event with no cost leaves the request's cost unknown (its estimate
 * stays). Dated by its first event.
 * A refund (FAL documents none: a further event with a negative cost, units given back or none) lowers
 * its request's cost and is kept as `refundedUsd`, for the job to say so. A request refunded more than
 * it was charged, or with fewer than no units, is no account FAL keeps (garbled, or a refund of a charge
 * not in the answer): `impossible`, its cost unknown - it takes nothing off the month's spend and never
 * reopens the spending cap.
 */
export function requestCharge(
  events: readonly BillingEvent[],
  sentAt: number,
  asOf: number,
): { at: number; units: number | null; usd: number | null; knownUsd: number | null; chargedUsd: number | null; refundedUsd: number | null; impossible: boolean } {
  const unique = [...new Map(events.map((event) => [eventKey(event), event])).values()];
  let usd: number | null = 0;
  let known = 0;
  let refunded = 0;
  let charged = 0;
  let units: number | null = null;
  let at = Number.POSITIVE_INFINITY;
  for (const event of unique) {
    const cost = eventCostUsd(event);
    usd = usd === null || cost === null ? null : usd + cost;
    if (cost !== null) known += cost;
    if (cost !== null && cost < 0) refunded -= cost;
    if (cost !== null && cost > 0) charged += cost;
    if (typeof event.output_units === 'number') units = (units ?? 0) + event.output_units;
    at = Math.min(at, chargedAt(event.timestamp, sentAt, asOf));
  }
  // Cents summed in floating point: -0.27 + 0.27 may read as a hair below nothing.
  const CENT_DUST = 1e-9;
  const impossible = known < -CENT_DUST || (units !== null && units < -CENT_DUST);
  if (impossible) return { at, units: null, usd: null, knownUsd: null, chargedUsd: null, refundedUsd: null, impossible };
  return {
    at,
    units: units === null ? null : Math.max(0, units),
    usd: usd === null ? null : Math.max(0, usd),
    knownUsd: Math.max(0, known),
    chargedUsd: charged,
    refundedUsd: refunded > 0 ? refunded : null,
    impossible,
  };
}
