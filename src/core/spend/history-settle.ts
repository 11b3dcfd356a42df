// Settles possible charges from FAL's request history, which the ordinary FAL key reads (FAL-PLATFORM.md
// §4): without a billing key, a job given up while FAL's queue answered its status or result with 5xx, a
// cut connection or nothing, or one whose run FAL failed (a runner_server_error 500, a 422: charge-rule.ts),
// stayed "may be charged" for its whole month. FAL bills a finished run and never a 5xx error nor queue
// time (§7), so FAL's record of the request says:
//   it finished (2xx)                    -> charged: its estimate is spent (the cost: billing records)
//   it ended in a server error (5xx)     -> not charged
//   it ended without ever starting       -> not charged
//   pending, 4xx after it began, absent  -> nothing proven: it stays a possible charge, asked again later
// Stored as real_costs 'request_history' (costs.ts); FAL's billing records, with a billing key, outrank it.
// A run the user canceled after FAL began it is a possible charge too (charge-rule.ts) and is settled the same way.
// When: soon after the job ended (the platform's background check, every few seconds), then ever more
// rarely while FAL's history does not tell (it may list a request late), a bounded number of times;
// a settled request, or one whose record can never tell (a 4xx after it began), is not asked again.
// The schedule is in the database (history_checks, migration 30): the app and the CLI share it.
// Settled, the job's message says what FAL's records showed instead of "may be charged" (possible-charge-text.ts).
import type { Database } from 'better-sqlite3';
import type { PlatformClient, RequestHistory, RequestRow } from '../fal/platform-client';
import { statementCache } from '../db/statements';
import { writeTx } from '../db/write';
import { errorMessage } from '../util/errors';
import { ESTIMATE_ONLY_POSSIBLE_SQL, FAL_RUN_FAILED_CODES, FAL_UNANSWERED_CODES } from './charge-rule';
import { CostStore, SYNC_WINDOW_MS } from './costs';
import { settledMessage } from './possible-charge-text';

/**
 * The failure codes whose possible charge FAL's request history may settle: given up on, and runs FAL
 * failed (its record tells a 5xx, never charged, from a 422 that may be - which stays possible).
 */
export const HISTORY_SETTLED_CODES: readonly string[] = [...FAL_UNANSWERED_CODES, ...FAL_RUN_FAILED_CODES];

/** Most requests asked about in one pass (one history call each; the rest wait for the next pass). */
const PER_PASS = 20;
/** First wait before a request its history did not settle is asked again; doubles per lookup up to MAX_WAIT_MS. */
const RETRY_BASE_MS = 15_000;
const MAX_WAIT_MS = 6 * 3600_000;
/** Lookups of one request at most (15 s, 30 s, ... 6 h: about a day and a half); then a billing key settles it. */
export const MAX_LOOKUPS = 16;

export type HistoryVerdict = 'charged' | 'not_charged' | null;

/** What FAL's record of a request proves about its charge; null: nothing (yet). */
export function historyVerdict(row: RequestRow): HistoryVerdict {
  const code = row.status_code;
  if (code === null || code === undefined) return null; // still queued or running
  if (code >= 500) return 'not_charged';
  if (code >= 200 && code < 300) return 'charged';
  // Ended without starting (cancelled in the queue: started_at null): queue time is never charged. A 4xx
  // after it began may have used GPU time; a row with no started_at at all (a broken answer) says neither.
  return row.started_at === null ? 'not_charged' : null;
}

/** What one lookup found (history_checks.outcome): settled, or why not and whether asking again may help. */
export type LookupOutcome = 'charged' | 'not_charged' | 'pending' | 'not_listed' | 'undecidable' | 'unreadable';

/** One lookup's answer for the request asked about. */
export function lookupOutcome(requestId: string, history: RequestHistory): LookupOutcome {
  // Only the request asked about: an answer that ignored the filter proves nothing of it.
  const rows = history.rows.filter((row) => row.request_id === requestId);
  // A row naming it that could not be read may say anything of it.
  if (history.unreadable.some((row) => row.requestId === requestId)) return 'unreadable';
  if (rows.length === 0) return 'not_listed';
  const verdicts = new Set(rows.map(historyVerdict));
  if (verdicts.size > 1) return 'unreadable';
  const verdict = [...verdicts][0]!;
  if (verdict !== null) return verdict;
  // A row that cannot say whether the run began: a later answer may (asked again).
  if (rows.some((row) => row.started_at === undefined)) return 'unreadable';
  // Ended (a 4xx after its run began): FAL's history will never say more of its charge.
  return rows.every((row) => row.status_code !== null && row.status_code !== undefined) ? 'undecidable' : 'pending';
}

interface Pending {
  requestId: string;
  jobId: string;
  endpoint: string;
  finishedAt: number;
  checks: number;
}

export interface HistorySettleDeps {
  db: Database;
  now?: () => number;
  logger?: { info(message: string): void; warn(message: string): void };
  /** A job's message changed: it now says what FAL's records showed. */
  onJob?: (jobId: string) => void;
  /** Test override: the first wait before a request is asked again (default 15 s). */
  retryBaseMs?: number;
}

export interface HistorySettleOptions {
  /** Every unsettled request, due or not, even one whose lookups ran out (`image2model reconcile`). */
  force?: boolean;
}

/** What one pass did: the requests it settled, and those it asked about (or could not reach) that stay possible. */
export interface HistorySettleReport {
  settled: { requestId: string; jobId: string; charged: boolean }[];
  unsettled: { requestId: string; jobId: string }[];
}

/** One pass over the possible charges FAL's history may settle that are due. Never throws. */
export type HistorySettler = (client: PlatformClient, opts?: HistorySettleOptions) => Promise<HistorySettleReport>;

export function createHistorySettler(deps: HistorySettleDeps): HistorySettler {
  const stmt = statementCache(deps.db);
  const costs = new CostStore(deps.db);
  const now = deps.now ?? Date.now;
  const retryBaseMs = deps.retryBaseMs ?? RETRY_BASE_MS;
  const codes = HISTORY_SETTLED_CODES.map((c) => `'${c}'`).join(', ');
  // The latest outcome of each request, given up with one of those codes or canceled, whose estimate is
  // still only possible (no real cost, not settled) and that is due to be asked: newest first. Only
  // those sent in FAL's 90-day history window.
  const pendingSql = `SELECT f.request_id AS requestId, f.job_id AS jobId, f.endpoint AS endpoint, f.finished_at AS finishedAt, COALESCE(h.checks, 0) AS checks
    FROM fal_requests f JOIN spend s ON s.request_id = f.request_id LEFT JOIN history_checks h ON h.request_id = f.request_id
    WHERE f.superseded = 0 AND ((f.status = 'failed' AND f.error_type IN (${codes})) OR f.status = 'canceled') AND s.at >= @oldest
      AND (h.request_id IS NULL OR (h.next_check_at IS NOT NULL AND h.next_check_at <= @now)
        OR (@force AND h.outcome IN ('pending', 'not_listed', 'unreadable')))
      AND ${ESTIMATE_ONLY_POSSIBLE_SQL}
    GROUP BY f.request_id ORDER BY MAX(s.at) DESC LIMIT @limit`;

  /** When a request looked up `checks` times, last now, is asked next; null: never again. */
  function nextCheckAt(outcome: LookupOutcome, checks: number, at: number): number | null {
    if (outcome === 'charged' || outcome === 'not_charged' || outcome === 'undecidable' || checks >= MAX_LOOKUPS) return null;
    return at + Math.min(MAX_WAIT_MS, retryBaseMs * 2 ** Math.max(0, checks - 1));
  }

  function recordLookup(requestId: string, outcome: LookupOutcome, checks: number): void {
    const at = now();
    stmt(
      `INSERT INTO history_checks (request_id, checks, last_checked_at, next_check_at, outcome) VALUES (@requestId, @checks, @at, @next, @outcome)
       ON CONFLICT(request_id) DO UPDATE SET checks = MAX(history_checks.checks, excluded.checks), last_checked_at = excluded.last_checked_at,
         next_check_at = excluded.next_check_at, outcome = excluded.outcome`,
    ).run({ requestId, checks, at, next: nextCheckAt(outcome, checks, at), outcome });
  }

  /**
   * The job still on this request says what FAL's records showed, not "may be charged" any more; not
   * charged, its run made nothing, so Download again is not offered (shared/job-retry.ts). Whether it changed.
   */
  function tellJob(p: Pending, verdict: Exclude<HistoryVerdict, null>, at: number): boolean {
    const job = stmt(
      `SELECT state, message, error_message AS errorMessage, request_finished AS requestFinished FROM jobs
       WHERE id = @jobId AND fal_request_id = @requestId AND state IN ('failed', 'canceled')`,
    ).get({ jobId: p.jobId, requestId: p.requestId }) as { state: string; message: string | null; errorMessage: string | null; requestFinished: number } | undefined;
    if (!job) return false;
    const requestFinished = verdict === 'not_charged' ? 1 : Number(job.requestFinished);
    const message = settledMessage(
      { state: job.state, message: job.errorMessage ?? job.message ?? '', canDownloadAgain: job.state === 'failed' && requestFinished === 0 },
      verdict === 'charged',
      at,
    );
    stmt(
      `UPDATE jobs SET message = @message, error_message = CASE WHEN error_message IS NULL THEN NULL ELSE @message END, request_finished = @requestFinished
       WHERE id = @jobId`,
    ).run({ jobId: p.jobId, message, requestFinished });
    stmt("INSERT INTO job_events (job_id, at, kind, from_state, to_state, message) VALUES (?, ?, 'log', NULL, NULL, ?)").run(
      p.jobId,
      at,
      `FAL's request history shows request ${p.requestId} ${verdict === 'charged' ? 'finished (charged)' : 'ended in a server error or never started (not charged)'}`,
    );
    return true;
  }

  /**
   * Settles it: whether its job was told (tellJob), or null when it no longer needed settling - another
   * process (the app, the CLI) settled it, or FAL's billing records came, while FAL was asked.
   */
  function settle(p: Pending, verdict: Exclude<HistoryVerdict, null>): boolean | null {
    return writeTx(deps.db, () => {
      const stillPossible = stmt(`SELECT 1 FROM spend s WHERE s.request_id = @requestId AND ${ESTIMATE_ONLY_POSSIBLE_SQL} LIMIT 1`).get({ requestId: p.requestId });
      if (stillPossible === undefined) return null;
      costs.record({ requestId: p.requestId, jobId: p.jobId, endpoint: p.endpoint, at: p.finishedAt, units: verdict === 'charged' ? null : 0, usd: verdict === 'charged' ? null : 0, source: 'request_history' });
      // Charged: Stats counts its estimate again (taken out while it was only possible), on its latest outcome.
      if (verdict === 'charged') {
        stmt(
          `UPDATE fal_requests SET estimated_cost_usd = (SELECT s.usd FROM spend s WHERE s.request_id = @requestId ORDER BY s.id LIMIT 1)
           WHERE id = (SELECT MAX(id) FROM fal_requests WHERE request_id = @requestId) AND estimated_cost_usd IS NULL AND real_cost_usd IS NULL`,
        ).run({ requestId: p.requestId });
      }
      recordLookup(p.requestId, verdict, p.checks + 1);
      return tellJob(p, verdict, now());
    });
  }

  return async function settleFromHistory(client, opts = {}) {
    const report: HistorySettleReport = { settled: [], unsettled: [] };
    let pending: Pending[];
    try {
      pending = stmt(pendingSql).all({ oldest: now() - SYNC_WINDOW_MS, now: now(), force: opts.force ? 1 : 0, limit: PER_PASS }) as Pending[];
    } catch (error) {
      deps.logger?.warn(`spend: the possible charges could not be read (${errorMessage(error)})`);
      return report;
    }
    for (const [index, p] of pending.entries()) {
      let outcome: LookupOutcome;
      try {
        outcome = lookupOutcome(p.requestId, await client.requests({ endpointId: p.endpoint, requestId: p.requestId, limit: 10 }));
      } catch (error) {
        // This one waits its turn again; the rest wait for the next pass (the same API, likely the same answer).
        deps.logger?.warn(`spend: FAL's request history could not be read to settle a possible charge (${errorMessage(error)}); asked again later`);
        tryRecord(p, 'unreadable');
        report.unsettled.push(...pending.slice(index).map(({ requestId, jobId }) => ({ requestId, jobId })));
        break;
      }
      if (outcome !== 'charged' && outcome !== 'not_charged') {
        tryRecord(p, outcome);
        report.unsettled.push({ requestId: p.requestId, jobId: p.jobId });
        continue;
      }
      try {
        const told = settle(p, outcome);
        if (told === null) continue;
        report.settled.push({ requestId: p.requestId, jobId: p.jobId, charged: outcome === 'charged' });
        if (told) deps.onJob?.(p.jobId);
        deps.logger?.info(`spend: request ${p.requestId}: FAL's request history shows it ${outcome === 'charged' ? 'finished (charged: its estimate counts as spent)' : 'ended in a server error or never started (not charged)'}`);
      } catch (error) {
        deps.logger?.warn(`spend: request ${p.requestId}: could not record what FAL's request history shows (${errorMessage(error)})`);
        report.unsettled.push({ requestId: p.requestId, jobId: p.jobId });
      }
    }
    return report;
  };

  function tryRecord(p: Pending, outcome: LookupOutcome): void {
    try {
      writeTx(deps.db, () => recordLookup(p.requestId, outcome, p.checks + 1));
    } catch (error) {
      deps.logger?.warn(`spend: request ${p.requestId}: could not note when FAL's request history is asked again (${errorMessage(error)})`);
    }
  }
}
