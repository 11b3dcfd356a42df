// Real spend: with the optional admin ("billing") key, asks FAL what each finished request really
// cost (billing events by request id) and what the account balance is; X-Fal-Billable-Units answers
// add real units meanwhile. Without that key everything runs on estimates, labelled as such.
// This file is the sync around the reads (each on its own back-off, one at a time) and the totals;
// reading the billing events is charges-read.ts, one request's charge from them request-charge.ts.
import type { Database } from 'better-sqlite3';
import type { PlatformClient } from '../fal/platform-client';
import { MAX_EVENT_UNITS, MAX_EVENT_USD } from '../fal/platform-schemas';
import { createChargesReader } from './charges-read';
import { CostStore, type CostSource, type RecheckSchedule, type SpendTotals } from './costs';
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
  jobCosts(jobIds: readonly string[]): { jobId: string; usd: number; source: CostSource; refundedUsd?: number }[];
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

/** A read that failed because FAL's platform API could not be reached: why, as the user reads it. */
interface Unreachable {
  unreachable: string;
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
  const readCharges = createChargesReader({ costs, now, noChargeAfterMs, recheck, warnOnce });

  /** Runs `read` when its backoff allows; whether it ran and worked, or the failure that says FAL's platform API could not be reached. */
  async function attempt(backoff: ReadBackoff, read: () => Promise<void>): Promise<boolean | Unreachable> {
    if (!backoff.due(now())) return false;
    try {
      await read();
      backoff.succeeded();
      return true;
    } catch (error) {
      const reason = redact(errorMessage(error));
      failed(backoff, reason, error instanceof PlatformError ? error.retryAfterMs : null);
      return error instanceof PlatformError && error.kind === 'offline' ? { unreachable: reason } : false;
    }
  }

  function failed(backoff: ReadBackoff, reason: string, retryAfterMs: number | null): void {
    backoff.failed(now(), reason, retryAfterMs);
    deps.logger?.warn(`spend: ${redact(backoff.problem(now()) ?? reason)}`);
  }

  async function doSync(opts: { retryNow?: boolean }): Promise<void> {
    const client = deps.billing();
    if (!client) return;
    if (opts.retryNow) {
      chargesRead.retryNow();
      balanceRead.retryNow();
    }
    const charges = await attempt(chargesRead, () => readCharges(client));
    // FAL's platform API could not be reached for the charges (each call tries up to its deadline): the
    // balance, from the same API, is not asked too - Settings waited two deadlines for one answer.
    if (typeof charges === 'object') {
      if (balanceRead.due(now())) failed(balanceRead, charges.unreachable, null);
      return;
    }
    const read = await attempt(balanceRead, async () => {
      const account = await client.account();
      balance = account.credits ? { usd: account.credits.current_balance, at: now() } : balance;
    });
    if (charges && read === true) syncedAt = now();
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
