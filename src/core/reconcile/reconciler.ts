// Settles uncertain submissions from FAL's request history instead of asking the user:
//   found in the history            -> adopt that request id; a worker follows it (no second charge)
//   not found, settle time not over -> ask again later with backoff (FAL lists requests with a delay)
//   not found after the settle time -> record "FAL has no record (checked at ...)": resubmitting is safe
//                                      (done by itself only when the setting allows it)
//   cannot ask (no permission, payloads off, offline, API down) -> stays needs_attention with that
//                                      reason; checks again later by itself
//   what was sent cannot be known (its kept copy missing or damaged, not rebuildable) -> stays
//                                      needs_attention: no row can be ruled out, "no record" would be a guess
// An earlier send a job no longer carries is looked for the same way (past-sends.ts). What was sent:
// sent-input.ts; which rows a send may be and when it is due: candidates.ts; its settings, what it
// needs and what a pass reports: reconciler-types.ts.
// A history row that fails its check is left out (logged once) and the rest of the page is used: a
// job is only settled from rows that could be read - found in one, it is adopted; while an unreadable
// row is listed it may be that job's, so "no record" is never concluded.
import type { PlatformClient, RequestHistory, UnreadableRequestRow } from '../fal/platform-client';
import type { JobRow } from '../queue/store';
import { CheckStore, type PastSend, type SubmitCheck } from './checks';
import { latestSendAt, reasonOf } from './candidates';
import { matchSubmission, type SentSubmission } from './match';
import { createPastSendChecks } from './past-sends';
import { keepsSentInput, mentions, rebuildSentInput } from './sent-input';
import { absentMessage, adoptedMessage, madeAgainMessage, NOT_RECEIVED_CODE, resubmitMessage, waitingMessage, type WaitReason } from './messages';
import { errorMessage } from '../util/errors';
import { emptyReport, type ReconcileConfig, type ReconcilerDeps, type ReconcileReport, type Reconciler } from './reconciler-types';

export { DEFAULT_RECONCILE_CONFIG, type ReconcileConfig, type ReconcilerDeps, type ReconcileReport, type Reconciler } from './reconciler-types';

/** Unreadable rows already logged (their fingerprints), so a row listed on every pass is logged once. */
const LOGGED_ROWS_KEPT = 1_000;

export function createReconciler(deps: ReconcilerDeps): Reconciler {
  const checks = new CheckStore(deps.jobs.db, deps.jobs);
  const sentInput = deps.sentInput ?? rebuildSentInput;
  let running: Promise<ReconcileReport> | null = null;
  let next: { force: boolean; report: Promise<ReconcileReport> } | null = null;
  let timer: ReturnType<typeof setInterval> | null = null;
  const loggedRows = new Set<string>();

  /** Only the app's own words and a checked request id: the row's text may be anything, a key included. */
  function logUnreadable(endpoint: string, row: UnreadableRequestRow): void {
    if (loggedRows.has(row.fingerprint)) return;
    if (loggedRows.size >= LOGGED_ROWS_KEPT) loggedRows.clear();
    loggedRows.add(row.fingerprint);
    deps.logger.warn(
      `reconcile: skipped a row of FAL's request history for ${endpoint} that could not be read (${row.problem}; request ${row.requestId ?? 'id unusable'}, row ${row.fingerprint}); no job is taken as not received while it is listed`,
    );
  }

  const backoff = (count: number, config: ReconcileConfig) => Math.min(config.retryMaxMs, config.retryBaseMs * 2 ** Math.max(0, count - 1));
  const past = createPastSendChecks({ jobs: deps.jobs, checks, now: deps.now, logger: deps.logger, backoff });

  function isDue(job: JobRow, config: ReconcileConfig, now: number, force: boolean): boolean {
    const check = checks.get(job.id, job.submitStartedAt ?? 0);
    if (!check) return true;
    if (check.status === 'absent') return config.autoResubmit;
    return force || (check.nextCheckAt ?? 0) <= now;
  }

  function emit(row: JobRow | null): void {
    if (row) deps.onJob(row);
  }

  function wait(job: JobRow, previous: SubmitCheck | null, reason: WaitReason, checkedAt: number, config: ReconcileConfig, report: ReconcileReport): void {
    const sentAt = job.submitStartedAt ?? checkedAt;
    const count = (previous?.checks ?? 0) + 1;
    const settleAt = latestSendAt(job, checkedAt) + config.settleMs;
    let nextCheckAt = checkedAt + backoff(count, config);
    // The decisive check runs right at the settle time.
    if (reason === 'settling') nextCheckAt = Math.max(checkedAt + Math.min(1_000, config.retryBaseMs), Math.min(nextCheckAt, settleAt));
    checks.record({
      jobId: job.id, sentAt, status: 'waiting', checks: count, firstCheckedAt: previous?.firstCheckedAt ?? checkedAt,
      lastCheckedAt: checkedAt, nextCheckAt, reason, requestId: null, absentCheckedAt: null,
    });
    const message = waitingMessage(reason, nextCheckAt, settleAt);
    emit(checks.describe(job, { errorCode: job.errorCode ?? 'submit_uncertain', errorMessage: message, message }, checkedAt, previous?.reason === reason ? null : message));
    report.waiting.push({ jobId: job.id, reason, nextCheckAt });
  }

  function absent(job: JobRow, previous: SubmitCheck | null, checkedAt: number, config: ReconcileConfig, report: ReconcileReport): void {
    const sentAt = job.submitStartedAt ?? checkedAt;
    const evidenceAt = previous?.status === 'absent' ? (previous.absentCheckedAt ?? checkedAt) : checkedAt;
    if (previous?.status !== 'absent') {
      checks.record({
        jobId: job.id, sentAt, status: 'absent', checks: (previous?.checks ?? 0) + 1, firstCheckedAt: previous?.firstCheckedAt ?? checkedAt,
        lastCheckedAt: checkedAt, nextCheckAt: null, reason: null, requestId: null, absentCheckedAt: checkedAt,
      });
      checks.forgetUncertainSend(job);
      // Safe to send again only while no other job made, is making or may be charged for its photo and settings.
      const madeAgain = deps.jobs.madeAgainElsewhere(job);
      const message = madeAgain ? madeAgainMessage(checkedAt) : absentMessage(checkedAt, latestSendAt(job, checkedAt));
      emit(checks.describe(job, { errorCode: NOT_RECEIVED_CODE, errorMessage: message, message }, checkedAt, message));
      report.absent.push({ jobId: job.id, checkedAt });
      deps.logger.info(`job ${job.id}: FAL has no record of its submission; ${madeAgain ? 'its photo was made again as another job' : 'safe to send again'}`);
    }
    if (!config.autoResubmit) return;
    // The same photo and settings made again as another job (Make again anyway, --force): resending
    // this one by itself would pay for that model twice.
    if (deps.jobs.madeAgainElsewhere(job)) {
      const message = madeAgainMessage(evidenceAt);
      const current = deps.jobs.get(job.id);
      if (current && current.state === 'needs_attention' && current.submitStartedAt === job.submitStartedAt && current.falRequestId === null) {
        emit(checks.describe(current, { errorCode: NOT_RECEIVED_CODE, errorMessage: message, message }, deps.now(), message));
      }
      return;
    }
    // Only the send FAL's records ruled out: the job read at the pass's start may have been sent again since.
    // Made again by another process since the check above: not resent (checked again in the write).
    const requeued = deps.jobs.requeue(job.id, deps.now(), { resubmit: true, message: resubmitMessage(evidenceAt), sentAt, unlessMadeAgain: true });
    if (requeued) {
      emit(requeued);
      report.resubmitted.push(job.id);
      deps.wake();
    }
  }

  async function checkEndpoint(
    endpoint: string,
    jobs: JobRow[],
    pastSends: readonly PastSend[],
    allPast: readonly PastSend[],
    client: PlatformClient | null,
    config: ReconcileConfig,
    report: ReconcileReport,
  ): Promise<void> {
    const checkedAt = deps.now();
    const previous = new Map(jobs.map((job) => [job.id, checks.get(job.id, job.submitStartedAt ?? 0)]));
    // Already proven absent (the setting to resubmit was turned on since): no need to ask again.
    const pending = jobs.filter((job) => {
      const check = previous.get(job.id) ?? null;
      if (check?.status !== 'absent') return true;
      absent(job, check, checkedAt, config, report);
      return false;
    });
    if (pending.length === 0 && pastSends.length === 0) return;
    if (!client) {
      for (const job of pending) wait(job, previous.get(job.id) ?? null, 'no_key', checkedAt, config, report);
      past.check(pastSends, allPast, null, checkedAt, config, report);
      return;
    }
    const sentTimes = [...pending.map((job) => job.submitStartedAt ?? checkedAt), ...pastSends.map((send) => send.sentAt)];
    /** The history around the sends, their times moved by `offsetMs` (onto FAL's clock). */
    const read = (offsetMs: number) =>
      client.requests({
        endpointId: endpoint,
        start: new Date(Math.min(...sentTimes) + offsetMs - config.windowMarginMs),
        end: new Date(Math.max(checkedAt, ...sentTimes) + offsetMs + config.windowMarginMs),
        payloads: true,
      });
    let history: RequestHistory;
    try {
      history = await read(0);
      // This computer's clock far from FAL's (hours off after a dual boot, a resumed VM): the sends are
      // at other times on FAL's clock, and a received one was called never received - paid twice. Those
      // times are read too, and both reads count (a wrong Date header can only add rows, never hide one).
      const offsetMs = history.serverDate == null ? 0 : history.serverDate - deps.now();
      if (Math.abs(offsetMs) > config.windowMarginMs / 2) history = joinHistories(history, await read(offsetMs));
    } catch (error) {
      const reason = reasonOf(error);
      deps.logger.warn(`reconcile: could not read FAL's request history for ${endpoint} (${reason})`);
      for (const job of pending) wait(job, previous.get(job.id) ?? null, reason, checkedAt, config, report);
      past.check(pastSends, allPast, null, checkedAt, config, report);
      return;
    }
    const { rows, unreadable } = history;
    for (const row of unreadable) logUnreadable(endpoint, row);
    const taken = checks.takenRequestIds(rows.map((row) => row.request_id));
    // The job's own sends first: what they adopt is taken before a past send of theirs looks.
    for (const stale of pending) {
      const job = deps.jobs.get(stale.id);
      // Settled meanwhile (another process, the user): leave it.
      if (!job || job.state !== 'needs_attention' || job.falRequestId !== null || job.submitStartedAt !== stale.submitStartedAt) continue;
      report.checked++;
      const sent: SentSubmission = { endpoint, sentAt: job.submitStartedAt ?? checkedAt, input: sentInput(job) };
      // Every row with its input (a row nearer a past send of the job may still be this one's while its
      // own is not listed yet: adopting it follows a real, counted request - the past send then settles apart).
      const result = matchSubmission(sent, rows, taken);
      const check = previous.get(job.id) ?? null;
      // Rebuilt (the exact copy missing or damaged), the input may differ from what left - a build that
      // changed since: a row naming the job's upload that it does not match may still be its send.
      const guessed = deps.sentInput === undefined && !keepsSentInput(job);
      const unmatchedUpload =
        guessed && result.kind === 'absent' && job.inputUrl !== null && rows.some((row) => !taken.has(row.request_id) && row.endpoint_id === endpoint && mentions(row.json_input, job.inputUrl!));
      if (sent.input === null || sent.input === undefined || unmatchedUpload) {
        // Nothing to tell its row by: no row can be ruled out, so "never received" would be a guess.
        wait(job, check, 'unknown_input', checkedAt, config, report);
      } else if (result.kind === 'found') {
        taken.add(result.requestId);
        const adopted = checks.adopt(job, result.requestId, deps.now(), adoptedMessage(result.requestId), result.receivedAt);
        if (!adopted) continue;
        checks.record({
          jobId: job.id, sentAt: sent.sentAt, status: 'found', checks: (check?.checks ?? 0) + 1, firstCheckedAt: check?.firstCheckedAt ?? checkedAt,
          lastCheckedAt: checkedAt, nextCheckAt: null, reason: null, requestId: result.requestId, absentCheckedAt: null,
        });
        emit(adopted);
        report.adopted.push({ jobId: job.id, requestId: result.requestId });
        deps.logger.info(`job ${job.id}: FAL had received its submission as ${result.requestId}; adopted`);
        deps.wake();
      } else if (result.kind === 'no_payloads') {
        wait(job, check, 'no_payloads', checkedAt, config, report);
      } else if (checkedAt < latestSendAt(job, checkedAt) + config.settleMs) {
        wait(job, check, 'settling', checkedAt, config, report);
      } else if (unreadable.length > 0) {
        // Not in the rows that could be read, but perhaps the one that could not: no proof either way.
        wait(job, check, 'unreadable_rows', checkedAt, config, report);
      } else {
        absent(job, check, checkedAt, config, report);
      }
    }
    past.check(pastSends, allPast, history, checkedAt, config, report);
  }

  async function pass(force: boolean): Promise<ReconcileReport> {
    const report = emptyReport();
    const config = deps.config();
    const now = deps.now();
    const due = checks.uncertainJobs().filter((job) => isDue(job, config, now, force));
    const allPast = checks.uncertainPastSends(now);
    const pastDue = allPast.filter((send) => force || past.isDue(send, now));
    if (due.length === 0 && pastDue.length === 0) return report;
    const client = deps.platform();
    const byEndpoint = new Map<string, { jobs: JobRow[]; past: PastSend[] }>();
    const group = (endpoint: string) => byEndpoint.get(endpoint) ?? byEndpoint.set(endpoint, { jobs: [], past: [] }).get(endpoint)!;
    for (const job of due) group(job.endpoint).jobs.push(job);
    for (const send of pastDue) group(send.endpoint).past.push(send);
    for (const [endpoint, { jobs, past }] of byEndpoint) await checkEndpoint(endpoint, jobs, past, allPast, client, config, report);
    return report;
  }

  const reconciler: Reconciler = {
    runOnce(opts = {}) {
      const force = opts.force === true;
      if (running) {
        // Every call made while a pass runs shares the one pass after it (forced if any asked so): a
        // pass each (clicks in two windows, the CLI, the timer) ran one after the other, the last
        // caller waiting for all of them when FAL's platform API is slow.
        if (next) {
          next.force ||= force;
          return next.report;
        }
        const queued: { force: boolean; report: Promise<ReconcileReport> } = { force, report: Promise.resolve(emptyReport()) };
        queued.report = running
          .catch(() => undefined)
          .then(() => {
            next = null;
            return reconciler.runOnce({ force: queued.force });
          });
        next = queued;
        return queued.report;
      }
      running = pass(opts.force === true).finally(() => {
        running = null;
      });
      return running;
    },
    start(pollMs = 5_000) {
      if (timer) return;
      const tick = () => {
        if (running) return;
        reconciler.runOnce().catch((error: unknown) => deps.logger.warn(`reconcile failed: ${errorMessage(error)}`));
      };
      timer = setInterval(tick, pollMs);
      timer.unref?.();
      tick();
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = null;
      await running?.catch(() => undefined);
    },
  };
  return reconciler;
}

/** Two reads of one history as one: every row and unreadable row of either, a request listed by both once (as first read). */
function joinHistories(a: RequestHistory, b: RequestHistory): RequestHistory {
  const seen = new Set(a.rows.map((row) => row.request_id));
  return { rows: [...a.rows, ...b.rows.filter((row) => !seen.has(row.request_id))], unreadable: [...a.unreadable, ...b.unreadable], serverDate: b.serverDate };
}
