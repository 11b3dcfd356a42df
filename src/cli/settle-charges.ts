// Possible charges settled from FAL's request history by the command line, as the app does in the
// background (core/spend/history-settle.ts): a job given up while FAL answered with errors, a run FAL
// failed, or one canceled after FAL began it. A CLI run that leaves such jobs settles them before it
// sums up; `image2model reconcile` (and `resume`, which runs it first) asks about every one left, due or not.
// One connection of its own (WAL: safe beside the engine's, the app's and other runs').
import type { Database } from 'better-sqlite3';
import { openDatabase } from '../core/db/open';
import { createPlatformClient } from '../core/fal/platform-client';
import { createHistorySettler, type HistorySettleReport } from '../core/spend/history-settle';
import { ESTIMATE_ONLY_POSSIBLE_SQL } from '../core/spend/charge-rule';
import { cliFalKey, cliOtherKeys } from './keys';
import type { ChargeOutcome } from './charge-advice';

/**
 * One pass (`force`: due or not) over the data folder's possible charges. With `jobIds`: what became of
 * each of those jobs that was a possible charge (one still possible after the pass, or with no key to
 * ask: 'unsettled'); without: what the pass settled or asked about in vain.
 */
export async function settleCharges(
  target: { db: Database } | { dataDir: string },
  opts: { falProxy?: string; force?: boolean; jobIds?: ReadonlySet<string> },
): Promise<ChargeOutcome[]> {
  const db = 'db' in target ? target.db : openDatabase(target.dataDir);
  try {
    const jobOf = db.prepare('SELECT input_name AS input, COALESCE(error_message, message) AS message, fal_request_id AS requestId FROM jobs WHERE id = ?');
    const read = (jobId: string) => jobOf.get(jobId) as { input: string; message: string | null; requestId: string | null } | undefined;
    const possible = db.prepare(`SELECT 1 FROM spend s WHERE s.request_id = ? AND ${ESTIMATE_ONLY_POSSIBLE_SQL}`);
    const stillPossible = (jobId: string) => {
      const requestId = read(jobId)?.requestId ?? null;
      return requestId !== null && possible.get(requestId) !== undefined;
    };
    const asked = opts.jobIds ? [...opts.jobIds].filter(stillPossible) : null;
    if (asked?.length === 0) return [];
    const key = cliFalKey();
    const report: HistorySettleReport = key
      ? await createHistorySettler({ db })(createPlatformClient({ key, otherKeys: cliOtherKeys, proxyUrl: opts.falProxy ?? process.env.IMAGE2MODEL_FAL_PROXY ?? null }), { force: opts.force ?? true })
      : { settled: [], unsettled: [] };
    const outcomes: ChargeOutcome[] = [];
    const describe = (jobId: string, outcome: ChargeOutcome['outcome']) => {
      const job = read(jobId);
      if (job) outcomes.push({ id: jobId, input: job.input, outcome, message: job.message ?? '' });
    };
    const settled = new Map(report.settled.map((s) => [s.jobId, s.charged]));
    // Settled by another process (the app) or FAL's billing records while this pass asked: what they found.
    const costOf = db.prepare('SELECT usd FROM real_costs WHERE request_id = ?');
    const settledElsewhere = (jobId: string): ChargeOutcome['outcome'] => {
      if (stillPossible(jobId)) return 'unsettled';
      const cost = costOf.get(read(jobId)?.requestId ?? '') as { usd: number | null } | undefined;
      return cost?.usd === 0 ? 'not_charged' : 'charged';
    };
    if (asked) {
      for (const jobId of asked) describe(jobId, settled.has(jobId) ? (settled.get(jobId) ? 'charged' : 'not_charged') : settledElsewhere(jobId));
    } else {
      for (const [jobId, charged] of settled) describe(jobId, charged ? 'charged' : 'not_charged');
      for (const u of report.unsettled) describe(u.jobId, 'unsettled');
    }
    return outcomes;
  } finally {
    if (!('db' in target)) db.close();
  }
}
