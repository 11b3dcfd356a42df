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
import type { Database } from 'better-sqlite3';
import type { PlatformClient, RequestRow } from '../fal/platform-client';
import { statementCache } from '../db/statements';
import { writeTx } from '../db/write';
import { errorMessage } from '../util/errors';
import { ESTIMATE_ONLY_POSSIBLE_SQL, FAL_RUN_FAILED_CODES, FAL_UNANSWERED_CODES } from './charge-rule';
import { CostStore, SYNC_WINDOW_MS } from './costs';

/**
 * The failure codes whose possible charge FAL's request history may settle: given up on, and runs FAL
 * failed (its record tells a 5xx, never charged, from a 422 that may be - which stays possible).
 */
export const HISTORY_SETTLED_CODES: readonly string[] = [...FAL_UNANSWERED_CODES, ...FAL_RUN_FAILED_CODES];

/** Most requests asked about in one pass (one history call each; the rest wait for the next pass). */
const PER_PASS = 20;

export type HistoryVerdict = 'charged' | 'not_charged' | null;

/** What FAL's record of a request proves about its charge; null: nothing (yet). */
export function historyVerdict(row: RequestRow): HistoryVerdict {
  const code = row.status_code;
  if (code === null || code === undefined) return null; // still queued or running
  if (code >= 500) return 'not_charged';
  if (code >= 200 && code < 300) return 'charged';
  // Ended without starting (cancelled in the queue): queue time is never charged. A 4xx after it began may have used GPU time.
  return row.started_at ? null : 'not_charged';
}

interface Pending {
  requestId: string;
  jobId: string;
  endpoint: string;
  finishedAt: number;
}

export interface HistorySettleDeps {
  db: Database;
  now?: () => number;
  logger?: { info(message: string): void; warn(message: string): void };
}

/** One pass over the possible charges FAL's history may settle; how many it settled. Never throws. */
export function createHistorySettler(deps: HistorySettleDeps): (client: PlatformClient) => Promise<number> {
  const stmt = statementCache(deps.db);
  const costs = new CostStore(deps.db);
  const now = deps.now ?? Date.now;
  const codes = HISTORY_SETTLED_CODES.map((c) => `'${c}'`).join(', ');
  // The latest outcome of each request, given up with one of those codes, whose estimate is still only
  // possible (no real cost, not settled): newest first. Only those sent in FAL's 90-day history window.
  const pendingSql = `SELECT f.request_id AS requestId, f.job_id AS jobId, f.endpoint AS endpoint, f.finished_at AS finishedAt
    FROM fal_requests f JOIN spend s ON s.request_id = f.request_id
    WHERE f.superseded = 0 AND f.status = 'failed' AND f.error_type IN (${codes}) AND s.at >= @oldest AND ${ESTIMATE_ONLY_POSSIBLE_SQL}
    GROUP BY f.request_id ORDER BY MAX(s.at) DESC LIMIT @limit`;

  function settle(p: Pending, verdict: Exclude<HistoryVerdict, null>): void {
    writeTx(deps.db, () => {
      costs.record({ requestId: p.requestId, jobId: p.jobId, endpoint: p.endpoint, at: p.finishedAt, units: verdict === 'charged' ? null : 0, usd: verdict === 'charged' ? null : 0, source: 'request_history' });
      // Charged: Stats counts its estimate again (taken out while it was only possible), on its latest outcome.
      if (verdict === 'charged') {
        stmt(
          `UPDATE fal_requests SET estimated_cost_usd = (SELECT s.usd FROM spend s WHERE s.request_id = @requestId ORDER BY s.id LIMIT 1)
           WHERE id = (SELECT MAX(id) FROM fal_requests WHERE request_id = @requestId) AND estimated_cost_usd IS NULL AND real_cost_usd IS NULL`,
        ).run({ requestId: p.requestId });
      }
    });
  }

  return async function settleFromHistory(client: PlatformClient): Promise<number> {
    let settled = 0;
    let pending: Pending[];
    try {
      pending = stmt(pendingSql).all({ oldest: now() - SYNC_WINDOW_MS, limit: PER_PASS }) as Pending[];
    } catch (error) {
      deps.logger?.warn(`spend: the possible charges could not be read (${errorMessage(error)})`);
      return 0;
    }
    for (const p of pending) {
      let rows: RequestRow[];
      try {
        rows = (await client.requests({ endpointId: p.endpoint, requestId: p.requestId, limit: 10 })).rows;
      } catch (error) {
        // Asked again at the next pass; the rest wait too (the same API, likely the same answer).
        deps.logger?.warn(`spend: FAL's request history could not be read to settle a possible charge (${errorMessage(error)}); asked again later`);
        break;
      }
      // Only the request asked about: an answer that ignored the filter proves nothing of it.
      const verdicts = new Set(rows.filter((row) => row.request_id === p.requestId).map(historyVerdict));
      const verdict = verdicts.size === 1 ? [...verdicts][0]! : null;
      if (verdict === null) continue;
      try {
        settle(p, verdict);
        settled++;
        deps.logger?.info(`spend: request ${p.requestId}: FAL's request history shows it ${verdict === 'charged' ? 'finished (charged: its estimate counts as spent)' : 'ended in a server error or never started (not charged)'}`);
      } catch (error) {
        deps.logger?.warn(`spend: request ${p.requestId}: could not record what FAL's request history shows (${errorMessage(error)})`);
      }
    }
    return settled;
  };
}
