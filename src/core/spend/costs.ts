// SQL for real costs: what FAL actually charged per request (billing events, with an admin key),
// or the units it reported (X-Fal-Billable-Units) priced at FAL's listed price. Kept when jobs are
// removed, like the estimates in `spend`. Totals use the real cost where known and the estimate
// recorded at submission otherwise.
import type { Database, Statement } from 'better-sqlite3';
import { statementCache } from '../db/statements';
import { POSSIBLE_CHARGES_SQL } from '../queue/store-reads';
import { ESTIMATE_ONLY_POSSIBLE_SQL } from './charge-rule';

/**
 * request_history: FAL's request history settled a possible charge (history-settle.ts) - usd 0: the run
 * ended in a server error or never started; usd null: it finished (charged, its estimate counts).
 */
export type CostSource = 'billing_event' | 'units_header' | 'no_charge' | 'request_history';

export interface RealCost {
  requestId: string;
  jobId: string | null;
  endpoint: string | null;
  at: number;
  units: number | null;
  usd: number | null;
  source: CostSource;
  /** What refunds took off this request's charges (billing events only); null or absent when none. */
  refundedUsd?: number | null;
}

/** How far back the billing sync asks FAL about requests (FAL takes a range of at most 90 days). */
export const SYNC_WINDOW_MS = 89 * 24 * 3600_000;

/**
 * When requests already settled by billing events, or taken as not charged, are read again (an event
 * FAL lists late: a refund days on, or a charge listed after the 2 h that made it "not charged"). Every sync until `everySyncFor` after the request ended; after that only once its
 * age has doubled since the last read (2 h, 4 h, 8 h... after it ended: about nine reads in 30 days),
 * until `until` after it ended - a bounded number of reads per request, however long the app runs.
 */
export interface RecheckSchedule {
  everySyncFor: number;
  until: number;
}

export interface UnsettledRequest {
  requestId: string;
  jobId: string;
  /** Null for a past request whose job was removed. */
  endpoint: string | null;
  submittedAt: number;
  finishedAt: number | null;
}

export interface SpendTotals {
  /** Real costs where known plus estimates for the rest. */
  usd: number;
  realUsd: number;
  estimatedUsd: number;
  basis: 'real' | 'estimate' | 'mixed';
}

/**
 * A billing event beats reported units, and those beat what the request history told (it carries no
 * cost); nothing replaces a billing event. The same source again
 * (FAL's result answer read again by Download again, maybe a month on) keeps the first date: a
 * charge stays in the day and month it was made.
 */
const RANK: Record<CostSource, number> = { request_history: 0, units_header: 1, no_charge: 2, billing_event: 3 };
const RANK_SQL = (column: string): string =>
  `CASE ${column} ${Object.entries(RANK).map(([source, rank]) => `WHEN '${source}' THEN ${rank}`).join(' ')} END`;

export class CostStore {
  private readonly stmt: (sql: string) => Statement;

  constructor(readonly db: Database) {
    this.stmt = statementCache(db);
  }

  /**
   * One statement, read and write together: the app and the CLI sync billing in their own processes,
   * and a read apart from the write let a sync that saw fewer of a request's events (or its units
   * header) overwrite the higher total another process had just stored. A recorded charge (its cost and
   * units) never goes down by the same source read again: billing events listed anew that are fewer, or
   * whose further event has no cost yet (`knownUsd`: what its events with a cost add up to), keep what
   * was counted; so does a result answer read again (Download again) with fewer units, or read while no
   * price is known - FAL charged a request once, and the cap errs on the side of spend.
   * One exception: billing events listed anew with a refund the last answer did not have. When the
   * answer's charges (`chargedUsd`: its positive costs, before refunds) are still at least those counted
   * before (the stored cost plus its refunds), no charge is missing from it, so its lower total is a
   * refund and is stored, units and refund with it.
   */
  record(cost: RealCost, knownUsd: number | null = null, chargedUsd: number | null = null): void {
    const refundedLate = `(excluded.source = real_costs.source AND real_costs.usd IS NOT NULL AND excluded.usd IS NOT NULL
      AND @chargedUsd IS NOT NULL AND @chargedUsd >= real_costs.usd + COALESCE(real_costs.refunded_usd, 0) - 1e-9)`;
    this.stmt(
      `INSERT INTO real_costs (request_id, job_id, endpoint, at, units, usd, source, refunded_usd) VALUES (@requestId, @jobId, @endpoint, @at, @units, @usd, @source, @refundedUsd)
       ON CONFLICT(request_id) DO UPDATE SET job_id = COALESCE(excluded.job_id, job_id), endpoint = COALESCE(excluded.endpoint, endpoint),
         at = CASE WHEN excluded.source = real_costs.source THEN real_costs.at ELSE excluded.at END,
         units = CASE WHEN ${refundedLate} THEN COALESCE(excluded.units, real_costs.units)
           WHEN excluded.source = real_costs.source AND real_costs.units IS NOT NULL
           THEN MAX(real_costs.units, COALESCE(excluded.units, real_costs.units)) ELSE COALESCE(excluded.units, real_costs.units) END,
         usd = CASE WHEN ${refundedLate} THEN excluded.usd
           WHEN excluded.source = real_costs.source AND real_costs.usd IS NOT NULL
           THEN MAX(real_costs.usd, COALESCE(excluded.usd, @knownUsd, real_costs.usd)) ELSE excluded.usd END,
         refunded_usd = CASE WHEN ${refundedLate} THEN excluded.refunded_usd
           WHEN excluded.source = real_costs.source AND real_costs.usd IS NOT NULL
           AND COALESCE(excluded.usd, @knownUsd, real_costs.usd) < real_costs.usd THEN real_costs.refunded_usd ELSE excluded.refunded_usd END,
         source = excluded.source
       WHERE ${RANK_SQL('real_costs.source')} <= ${RANK_SQL('excluded.source')}`,
    ).run({ ...cost, refundedUsd: cost.refundedUsd ?? null, knownUsd, chargedUsd });
  }

  /** The job a request is (or was, before the job was sent again) for. */
  jobOfRequest(requestId: string): { jobId: string; endpoint: string } | null {
    const raw = this.stmt(
      `SELECT id, endpoint FROM jobs WHERE fal_request_id = @requestId
       UNION ALL SELECT j.id, j.endpoint FROM job_past_requests p JOIN jobs j ON j.id = p.job_id WHERE p.request_id = @requestId
       LIMIT 1`,
    ).get({ requestId }) as { id: string; endpoint: string } | undefined;
    return raw ? { jobId: raw.id, endpoint: raw.endpoint } : null;
  }

  /**
   * Requests whose charge is not known from a billing event yet: those of finished FAL jobs, and the
   * earlier requests of jobs sent again (job_past_requests: a Retry that replaced the request, a late
   * answer kept) - FAL charged those too. A past request counts as ended when it was set aside; it was
   * sent when its estimate was recorded (unknown for rows from before migration 16: up to 89 days back,
   * and before it was set aside).
   * Only requests sent in the last 89 days (`now` minus SYNC_WINDOW_MS): FAL is asked about that range
   * only (it takes a range of at most 90 days), so no answer about an older one proves anything - it
   * keeps its estimate, and is not asked about sync after sync.
   * With `recheck`: also those settled by billing events, or taken as not charged, that are due to be
   * read again (RecheckSchedule) - FAL may list a request's further events (a refund), or its charge, a
   * while after it ended (the delay is unconfirmed). Those with no cost read yet come first: re-reads
   * must not fill every sync (`limit`).
   */
  unsettledRequests(limit: number, now: number, recheck: RecheckSchedule | null = null): UnsettledRequest[] {
    // Due: ended within everySyncFor; or within `until` and its age doubled since it was last read.
    // Times after `now` come from a clock that was ahead then (set wrong, put right since): a read
    // "in the future" is no read, and a request that "ends in the future" is read every everySyncFor,
    // not at every sync until the real date catches up.
    const read = `(r.checked_at IS NULL OR r.checked_at > @now OR @now - r.checked_at >=`;
    const due = (ended: string) =>
      `((${ended} <= @now AND (${ended} >= @now - @everySyncFor OR (${ended} >= @now - @until AND ${read} (@now - ${ended}) / 2.0))))
        OR (${ended} > @now AND ${read} @everySyncFor)))`;
    return this.stmt(
      `SELECT requestId, jobId, endpoint, submittedAt, finishedAt FROM (
         SELECT j.fal_request_id AS requestId, j.id AS jobId, j.endpoint AS endpoint, COALESCE(j.submitted_at, j.created_at) AS submittedAt, j.finished_at AS finishedAt,
           r.source IN ('billing_event', 'no_charge') AS reread
         FROM jobs j LEFT JOIN real_costs r ON r.request_id = j.fal_request_id
         WHERE j.provider = 'fal' AND j.fal_request_id IS NOT NULL AND j.state IN ('succeeded','failed','canceled')
           AND (r.source IS NULL OR r.source IN ('units_header', 'request_history') OR (r.source IN ('billing_event', 'no_charge') AND @recheck AND ${due('j.finished_at')}))
         UNION ALL
         SELECT p.request_id AS requestId, p.job_id AS jobId, j.endpoint AS endpoint,
           COALESCE((SELECT MIN(s.at) FROM spend s WHERE s.request_id = p.request_id), MIN(p.at, @oldest)) AS submittedAt, p.at AS finishedAt,
           r.source IN ('billing_event', 'no_charge') AS reread
         FROM job_past_requests p LEFT JOIN jobs j ON j.id = p.job_id LEFT JOIN real_costs r ON r.request_id = p.request_id
         WHERE r.source IS NULL OR r.source IN ('units_header', 'request_history') OR (r.source IN ('billing_event', 'no_charge') AND @recheck AND ${due('p.at')})
       ) WHERE submittedAt >= @oldest ORDER BY reread, finishedAt DESC LIMIT @limit`,
    ).all({ limit, now, oldest: now - SYNC_WINDOW_MS, recheck: recheck ? 1 : 0, everySyncFor: recheck?.everySyncFor ?? 0, until: recheck?.until ?? 0 }) as UnsettledRequest[];
  }

  /**
   * FAL now lists a charge the app cannot read for a request taken as not charged: its "$0" no longer
   * holds, so its cost is unknown again (a billing event of unknown cost: the estimate counts, here and
   * in the statistics, until the event can be read). A request with any other cost keeps it.
   */
  reopenNoCharge(requestId: string): void {
    this.db.transaction(() => {
      const reopened = this.stmt("UPDATE real_costs SET source = 'billing_event', usd = NULL, units = NULL WHERE request_id = ? AND source = 'no_charge'").run(requestId);
      // The statistics' copy (trigger real_costs_update_into_stats) keeps an old value over a null.
      if (reopened.changes > 0) this.stmt('UPDATE fal_requests SET real_cost_usd = NULL, billable_units = NULL WHERE request_id = ?').run(requestId);
    })();
  }

  /** The billing events of these requests were just read (`at`): the next re-read waits (RecheckSchedule). */
  markChecked(requestIds: readonly string[], at: number): void {
    const mark = this.stmt("UPDATE real_costs SET checked_at = ? WHERE request_id = ? AND source IN ('billing_event', 'no_charge')");
    this.db.transaction(() => {
      for (const id of requestIds) mark.run(at, id);
    })();
  }

  /** Real cost per job (sum over its requests), for the jobs given; `refundedUsd` only when FAL refunded some of it. */
  forJobs(jobIds: readonly string[]): Map<string, { usd: number; source: CostSource; refundedUsd?: number }> {
    const out = new Map<string, { usd: number; source: CostSource; refundedUsd?: number }>();
    for (const id of jobIds) {
      const raw = this.stmt(
        'SELECT SUM(MAX(usd, 0)) AS usd, MAX(source) AS source, COUNT(usd) AS n, SUM(MAX(COALESCE(refunded_usd, 0), 0)) AS refunded FROM real_costs WHERE job_id = ? AND usd IS NOT NULL',
      ).get(id) as { usd: number | null; source: CostSource | null; n: number; refunded: number | null } | undefined;
      if (!raw || raw.n === 0 || raw.usd === null || !raw.source) continue;
      out.set(id, { usd: raw.usd, source: raw.source, ...(raw.refunded ? { refundedUsd: raw.refunded } : {}) });
    }
    return out;
  }

  /** Sends FAL may have charged, not settled yet, sent in [from, to), at their estimates (queue/store-reads.ts). */
  possibleBetween(from: number, to: number): number {
    return Number((this.stmt(POSSIBLE_CHARGES_SQL).get({ from, to }) as { usd: number }).usd) || 0;
  }

  totalsBetween(from: number, to: number): SpendTotals {
    // A request costs at least $0 (a cost below, stored before refunds were held there, takes nothing off).
    const real = this.stmt('SELECT COALESCE(SUM(MAX(usd, 0)), 0) AS usd, COUNT(*) AS n FROM real_costs WHERE usd IS NOT NULL AND at >= ? AND at < ?').get(from, to) as { usd: number; n: number };
    // An estimate goes once its own request's real cost is known. One written before estimates named
    // their request (migration 16) goes once its job has a real cost no estimate names. One of a request
    // FAL failed or that was stopped is a possible charge, not spent (charge-rule.ts; possibleBetween).
    const estimated = this.stmt(
      `SELECT COALESCE(SUM(s.usd), 0) AS usd, COUNT(*) AS n FROM spend s
       WHERE s.at >= ? AND s.at < ? AND NOT ${ESTIMATE_ONLY_POSSIBLE_SQL} AND CASE WHEN s.request_id IS NOT NULL
         THEN NOT EXISTS (SELECT 1 FROM real_costs r WHERE r.request_id = s.request_id AND r.usd IS NOT NULL)
         ELSE NOT EXISTS (SELECT 1 FROM real_costs r WHERE r.job_id = s.job_id AND r.usd IS NOT NULL
           AND NOT EXISTS (SELECT 1 FROM spend named WHERE named.request_id = r.request_id)) END`,
    ).get(from, to) as { usd: number; n: number };
    const basis = real.n > 0 && estimated.n > 0 ? 'mixed' : real.n > 0 ? 'real' : 'estimate';
    return { usd: real.usd + estimated.usd, realUsd: real.usd, estimatedUsd: estimated.usd, basis };
  }
}
