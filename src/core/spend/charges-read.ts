// Reading FAL's billing events into the cost store: which requests to ask about (those not settled,
// and those due a re-read), the range asked, and what the answer proves - each request's charge
// (request-charge.ts), "not charged" only from a list read whole, unreadable events left out. The
// sync around it (when to read, back-off, the balance) is tracker.ts.
import { BillingEventsCutShort, type BillingEvent, type PlatformClient, type UnreadableBillingEvent } from '../fal/platform-client';
import { SYNC_WINDOW_MS, type CostStore, type RecheckSchedule } from './costs';
import { requestCharge } from './request-charge';

const DAY_MS = 24 * 3600_000;

export interface ChargesReaderDeps {
  costs: CostStore;
  now: () => number;
  /** A finished request with no billing event after this long was not charged. */
  noChargeAfterMs: number;
  recheck: RecheckSchedule;
  /** Logs a billing problem once (keyed by `what`), not at every sync. */
  warnOnce: (what: string, message: string) => void;
}

/** Reads the billing events of the requests not settled yet into the store. Throws what failed (after counting what was read). */
export function createChargesReader(deps: ChargesReaderDeps): (client: PlatformClient) => Promise<void> {
  const { costs, now, noChargeAfterMs, recheck, warnOnce } = deps;
  return async function readCharges(client: PlatformClient): Promise<void> {
    // One time for the list and the range asked about: each request listed was sent inside it.
    const asOf = now();
    // Requests whose billing events were read already, or taken as not charged, are asked again at
    // every sync until noChargeAfterMs after they ended, then ever more rarely for a month
    // (RecheckSchedule): FAL-PLATFORM.md leaves the delay before a charge is listed unconfirmed and
    // documents no refunds, so a further event listed late adds to their cost, or takes a refund off it.
    const pending = costs.unsettledRequests(500, asOf, recheck);
    if (pending.length > 0) {
      // (A request dated after now was sent while the clock was ahead: FAL dates its events by its own
      // clock, and a range starting after it ends is refused - every request's read with it.)
      const start = Math.max(asOf - SYNC_WINDOW_MS, Math.min(asOf, ...pending.map((p) => p.submittedAt)) - DAY_MS);
      const unreadable: UnreadableBillingEvent[] = [];
      // A list that failed before its end (cut off, too large): the charges read count, and the read
      // is still a failure, thrown below - asked again ever more rarely, not at every sync.
      let cutShort: BillingEventsCutShort | null = null;
      const events = await client
        .billingEvents({
          requestIds: pending.map((p) => p.requestId),
          start: new Date(start),
          end: new Date(asOf + 60_000),
          onUnreadable: (event) => void unreadable.push(event),
        })
        .catch((error: unknown) => {
          if (!(error instanceof BillingEventsCutShort)) throw error;
          cutShort = error;
          return error.events;
        });
      const sentAt = new Map(pending.map((p) => [p.requestId, p.submittedAt]));
      // An event that failed its check (a cost that is no number, ...) is left out; the rest of the
      // answer still counts. Its request's cost is unknown (it keeps its estimate, or what billing
      // events counted before) and it is not "not charged"; one whose request is not known could be
      // any request's, so no request is called not charged this time.
      const unknownCost = new Set<string>();
      // A request missing from a list not read to its end may be on the part never read.
      let unplaced = cutShort !== null;
      for (const event of unreadable) {
        const ours = event.requestId !== null && sentAt.has(event.requestId);
        if (ours) unknownCost.add(event.requestId!);
        else if (event.requestId === null) unplaced = true;
        else continue;
        warnOnce(
          event.fingerprint,
          `spend: FAL listed a billing event the app could not read (${ours ? `request ${event.requestId}` : 'its request unknown'}; ${event.problem}; #${event.fingerprint}). It is left out; ${ours ? 'that request keeps its estimate' : 'no request is taken as not charged meanwhile'}.`,
        );
      }
      const byRequest = new Map<string, BillingEvent[]>();
      for (const event of events) {
        // Only the requests asked about: an answer that ignored the filter (the whole account's
        // charges - other apps, a teammate) must not count as this app's spend.
        if (!sentAt.has(event.request_id)) continue;
        const list = byRequest.get(event.request_id) ?? byRequest.set(event.request_id, []).get(event.request_id)!;
        list.push(event);
      }
      const seen = new Set<string>();
      for (const [requestId, list] of byRequest) {
        seen.add(requestId);
        const { knownUsd, chargedUsd, impossible, ...charge } = requestCharge(list, sentAt.get(requestId)!, asOf);
        if (impossible) warnOnce(`impossible:${requestId}`, `spend: FAL's billing events for request ${requestId} say it was refunded more than it was charged (or gave back more units than it billed). They are left out; that request keeps its estimate until FAL's records add up.`);
        if (unknownCost.has(requestId)) charge.usd = null;
        // Asked again: an answer that lists fewer of its events (a page missed) never lowers what was
        // counted, nor does a further event listed with no cost yet: what is known still counts. A
        // refund listed late is taken off only when the answer still lists every charge counted before
        // (`chargedUsd`), so a missed page is never read as a refund.
        // Kept in the one statement that stores it (CostStore.record): another process syncing at the same time.
        const owner = costs.jobOfRequest(requestId);
        costs.record({ requestId, jobId: owner?.jobId ?? null, endpoint: list[0]!.endpoint_id, ...charge, source: 'billing_event' }, knownUsd, chargedUsd);
      }
      for (const requestId of unknownCost) {
        seen.add(requestId);
        // Taken as not charged before, FAL now lists a charge: its $0 would hide it.
        if (!byRequest.has(requestId)) costs.reopenNoCharge(requestId);
      }
      // FAL bills only successful output: long-finished requests with no event cost nothing.
      for (const p of pending) {
        if (unplaced || seen.has(p.requestId) || p.finishedAt === null || now() - p.finishedAt < noChargeAfterMs) continue;
        costs.record({ requestId: p.requestId, jobId: p.jobId, endpoint: p.endpoint, at: p.finishedAt, units: 0, usd: 0, source: 'no_charge' });
      }
      // The list failed: none of them was read in full, so none waits for its next re-read.
      if (cutShort) throw cutShort;
      // Read now (listed or not): those settled (billing events, not charged) wait for their next re-read.
      costs.markChecked(pending.map((p) => p.requestId), asOf);
    }
  };
}
