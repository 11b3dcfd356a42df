// Real spend: with the optional admin ("billing") key, asks FAL what each finished request really
// cost (billing events by request id) and what the account balance is; X-Fal-Billable-Units answers
// add real units meanwhile. Without that key everything runs on estimates, labelled as such.
import type { Database } from 'better-sqlite3';
import { BillingEventsCutShort, type BillingEvent, type PlatformClient, type UnreadableBillingEvent } from '../fal/platform-client';
import { eventCostUsd, MAX_EVENT_UNITS, MAX_EVENT_USD } from '../fal/platform-schemas';
import { CostStore, SYNC_WINDOW_MS, type RecheckSchedule, type SpendTotals } from './costs';
import { createReadBackoff, type ReadBackoff } from './read-backoff';
import { errorMessage } from '../util/errors';
import { PlatformError } from '../fal/platform-errors';

export interface SpendSummary {
  todayUsd: number;
  monthUsd: number;
  /** This month's sends FAL may have charged that are not settled yet, at their estimates (not in monthUsd; the cap counts them). */
  possibleUsd: number;
  capUsd: number | null;
  capReached: boolean;
  /** What the month total is made of: FAL's real charges, the app's estimates, or both. */
  basis: 'real' | 'estimate' | 'mixed';
  billingKey: boolean;
  balanceUsd: number | null;
  /** When the balance and real costs were last read from FAL (epoch ms). */
  syncedAt: number | null;
  /** What could not be read from FAL and when the app asks again, in plain words; null when the last reads worked (or never ran). */
  syncError: string | null;
}

export interface SpendTrackerDeps {
  db: Database;
  now?: () => number;
  /** A platform client with the admin key, or null when no billing key is set. */
  billing: () => PlatformClient | null;
  /** FAL's listed unit price for an endpoint (to price X-Fal-Billable-Units), or null. */
  unitPrice?: (endpoint: string) => number | null;
  /** A finished request with no billing event after this long was not charged (default 2 h). */
  noChargeAfterMs?: number;
  /** How long after a request ended its billing events are still read again for a late refund (default 30 days). */
  recheckForMs?: number;
  logger?: { warn(message: string): void };
  /** Takes every key the app holds out of a text (what failed is shown in the window and logged). */
  redact?: (text: string) => string;
}

export interface SpendTracker {
  /**
   * Reads billing events for finished jobs and the balance, each on its own: one failing does not stop
   * the other, and one that keeps failing is asked ever more rarely (read-backoff). `retryNow`: ask both
   * at once whatever the wait (a new billing key). Never throws.
   */
  sync(opts?: { retryNow?: boolean }): Promise<void>;
  /** Money spent in [from, to): real where known, estimated otherwise (what the cap counts). */
  spendBetween(from: number, to: number): number;
  summary(capUsd: number | null): SpendSummary;
  /** Real cost per job, where known. */
  jobCosts(jobIds: readonly string[]): { jobId: string; usd: number; source: 'billing_event' | 'units_header' | 'no_charge'; refundedUsd?: number }[];
  /** FAL reported the units it charged for a request (X-Fal-Billable-Units). */
  recordUnits(requestId: string, units: number): void;
}

const DAY_MS = 24 * 3600_000;
/** FAL documents no delay for refunds: a month covers a refund after a support ticket, at ~9 reads a request. */
const RECHECK_FOR_MS = 30 * DAY_MS;

function dayStart(at: number): number {
  const d = new Date(at);
  return new Date(d.getFullYear(), d.getMonth(), d.getDate()).getTime();
}
function monthStart(at: number): number {
  const d = new Date(at);
  return new Date(d.getFullYear(), d.getMonth(), 1).getTime();
}

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
function requestCharge(
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

export function createSpendTracker(deps: SpendTrackerDeps): SpendTracker {
  const costs = new CostStore(deps.db);
  const now = deps.now ?? Date.now;
  const noChargeAfterMs = deps.noChargeAfterMs ?? 2 * 3600_000;
  const recheck: RecheckSchedule = { everySyncFor: noChargeAfterMs, until: Math.max(noChargeAfterMs, deps.recheckForMs ?? RECHECK_FOR_MS) };
  let balance: { usd: number; at: number } | null = null;
  let syncedAt: number | null = null;
  const redact = deps.redact ?? ((text: string) => text);
  // Each read on its own: the balance is worth showing while the charges cannot be read, and back.
  const chargesRead = createReadBackoff("FAL's charges per job", '; estimates count meanwhile');
  const balanceRead = createReadBackoff("FAL's balance", '');
  let syncing: Promise<void> | null = null;
  /** Billing problems already logged (an unreadable event's fingerprint, ...): each is described once, not every sync. */
  const described = new Set<string>();
  const warnOnce = (what: string, message: string) => {
    if (described.has(what)) return;
    if (described.size >= 1000) described.clear();
    described.add(what);
    deps.logger?.warn(message);
  };

  /** Runs `read` when its backoff allows; whether it ran and worked. */
  async function attempt(backoff: ReadBackoff, read: () => Promise<void>): Promise<boolean> {
    if (!backoff.due(now())) return false;
    try {
      await read();
      backoff.succeeded();
      return true;
    } catch (error) {
      const reason = redact(errorMessage(error));
      backoff.failed(now(), reason, error instanceof PlatformError ? error.retryAfterMs : null);
      deps.logger?.warn(`spend: ${redact(backoff.problem(now()) ?? reason)}`);
      return false;
    }
  }

  async function doSync(opts: { retryNow?: boolean }): Promise<void> {
    const client = deps.billing();
    if (!client) return;
    if (opts.retryNow) {
      chargesRead.retryNow();
      balanceRead.retryNow();
    }
    const charges = await attempt(chargesRead, () => readCharges(client));
    const read = await attempt(balanceRead, async () => {
      const account = await client.account();
      balance = account.credits ? { usd: account.credits.current_balance, at: now() } : balance;
    });
    if (charges && read) syncedAt = now();
  }

  /** Billing events for the requests not settled yet. Throws what failed. */
  async function readCharges(client: PlatformClient): Promise<void> {
    // One time for the list and the range asked about: each request listed was sent inside it.
    const asOf = now();
    // Requests whose billing events were read already are asked again, at every sync until
    // noChargeAfterMs after they ended, then ever more rarely for a month (RecheckSchedule): a further
    // event FAL lists late adds to their cost, or takes a refund off it.
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
      for (const requestId of unknownCost) seen.add(requestId);
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
  }

  const totals = (from: number, to: number): SpendTotals => costs.totalsBetween(from, to);

  const tracker: SpendTracker = {
    sync(opts = {}) {
      // A new key while a sync (with the old one) runs: asked again once that one ends.
      if (syncing && opts.retryNow) return syncing.then(() => tracker.sync(opts));
      syncing ??= doSync(opts).finally(() => {
        syncing = null;
      });
      return syncing;
    },
    spendBetween: (from, to) => totals(from, to).usd,
    summary(capUsd) {
      const t = now();
      const month = totals(monthStart(t), t + 1);
      const today = totals(dayStart(t), t + 1);
      const possible = costs.possibleBetween(monthStart(t), t + 1);
      const billingKey = deps.billing() !== null;
      return {
        todayUsd: today.usd,
        monthUsd: month.usd,
        possibleUsd: possible,
        capUsd,
        capReached: capUsd !== null && month.usd + possible >= capUsd,
        basis: month.basis,
        billingKey,
        balanceUsd: billingKey ? (balance?.usd ?? null) : null,
        syncedAt: billingKey ? syncedAt : null,
        syncError: billingKey ? [chargesRead.problem(t), balanceRead.problem(t)].filter((p) => p !== null).join(' ') || null : null,
      };
    },
    jobCosts(jobIds) {
      return [...costs.forJobs(jobIds).entries()].map(([jobId, cost]) => ({ jobId, ...cost }));
    },
    recordUnits(requestId, units) {
      // Units no request can have (MAX_EVENT_UNITS) are no count FAL made: nothing is recorded.
      if (!(Number.isFinite(units) && units >= 0 && units <= MAX_EVENT_UNITS)) return;
      const owner = costs.jobOfRequest(requestId);
      const price = owner ? (deps.unitPrice?.(owner.endpoint) ?? null) : null;
      // Units priced beyond what one billing event may carry (a garbled header or price) are no charge
      // FAL made: the cost stays unknown and the request keeps its estimate (MAX_EVENT_USD).
      const usd = price === null ? null : units * price;
      costs.record({
        requestId,
        jobId: owner?.jobId ?? null,
        endpoint: owner?.endpoint ?? null,
        at: now(),
        units,
        usd: usd !== null && Number.isFinite(usd) && Math.abs(usd) <= MAX_EVENT_USD ? usd : null,
        source: 'units_header',
      });
    },
  };
  return tracker;
}
