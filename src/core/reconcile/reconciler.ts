// Settles uncertain submissions from FAL's request history instead of asking the user:
//   found in the history            -> adopt that request id; a worker follows it (no second charge)
//   not found, settle time not over -> ask again later with backoff (FAL lists requests with a delay)
//   not found after the settle time -> record "FAL has no record (checked at ...)": resubmitting is safe
//                                      (done by itself only when the setting allows it)
//   cannot ask (no permission, payloads off, offline, API down) -> stays needs_attention with that
//                                      reason; checks again later by itself
//   what was sent cannot be known (its kept copy missing or damaged, not rebuildable) -> stays
//                                      needs_attention: no row can be ruled out, "no record" would be a guess
// An earlier send a job no longer carries (the user sent it again, or removed the job: job_past_sends)
// is looked for the same way: found -> counted as spend once and kept among the job's past requests
// (not followed); absent after the settle time -> nothing; until then it counts against the cap.
// A history row that fails its check is left out (logged once) and the rest of the page is used: a
// job is only settled from rows that could be read - found in one, it is adopted; while an unreadable
// row is listed it may be that job's, so "no record" is never concluded.
import type { PlatformClient, PlatformError, RequestHistory, RequestRow, UnreadableRequestRow } from '../fal/platform-client';
import { getModel } from '../models/catalog';
import type { JobRow, JobStore } from '../queue/store';
import { CheckStore, type PastSend, type SubmitCheck } from './checks';
import { matchSubmission, type SentSubmission } from './match';
import { absentMessage, adoptedMessage, NOT_RECEIVED_CODE, pastAbsentMessage, pastFoundMessage, resubmitMessage, waitingMessage, type WaitReason } from './messages';

export interface ReconcileConfig {
  /** How long after the send a missing request counts as never received (FAL's listing delay is unconfirmed). */
  settleMs: number;
  /** Resubmit by itself once FAL has no record after the settle time (off by default). */
  autoResubmit: boolean;
  /** First wait between checks; doubles per check up to retryMaxMs. */
  retryBaseMs: number;
  retryMaxMs: number;
  /** The history window reaches this far around the send time (clock differences). */
  windowMarginMs: number;
}

export const DEFAULT_RECONCILE_CONFIG: ReconcileConfig = Object.freeze({
  settleMs: 10 * 60_000,
  autoResubmit: false,
  retryBaseMs: 15_000,
  retryMaxMs: 30 * 60_000,
  windowMarginMs: 5 * 60_000,
});

export interface ReconcilerDeps {
  jobs: JobStore;
  now: () => number;
  /** A client for the current key and proxy; null without a key. */
  platform: () => PlatformClient | null;
  config: () => ReconcileConfig;
  /** The exact input JSON a job's submit sent (default: rebuilt from the job, which is deterministic). */
  sentInput?: (job: JobRow) => unknown;
  onJob: (row: JobRow) => void;
  /** A job went back to the queue. */
  wake: () => void;
  logger: { info(message: string): void; warn(message: string): void };
}

export interface ReconcileReport {
  checked: number;
  adopted: { jobId: string; requestId: string }[];
  absent: { jobId: string; checkedAt: number }[];
  resubmitted: string[];
  waiting: { jobId: string; reason: WaitReason; nextCheckAt: number }[];
  /**
   * Earlier sends of jobs sent again or removed (job_past_sends) that FAL's records settled: found
   * (counted as spend once, not followed) or absent (never charged).
   */
  pastFound: { jobId: string; sentAt: number; requestId: string; usd: number | null; message: string }[];
  pastAbsent: { jobId: string; sentAt: number; message: string }[];
}

export interface Reconciler {
  /** Checks the uncertain jobs that are due (all of them with `force`). Runs one pass at a time. */
  runOnce(opts?: { force?: boolean }): Promise<ReconcileReport>;
  /** Checks by itself every `pollMs` (jobs are only asked about when due). */
  start(pollMs?: number): void;
  /** Stops the timer and waits for a pass in flight. */
  stop(): Promise<void>;
}

/** The exact input the submit sent (stored with the intent); older rows: rebuilt the way the runner builds it. */
export function rebuildSentInput(job: Pick<JobRow, 'submitInputJson' | 'endpoint' | 'inputUrl' | 'optionsJson' | 'preset'>): unknown {
  if (job.submitInputJson) {
    try {
      return JSON.parse(job.submitInputJson) as unknown;
    } catch {
      // fall through to rebuilding
    }
  }
  const model = getModel(job.endpoint);
  if (!model || job.inputUrl === null) return null;
  let options: Record<string, unknown> = {};
  try {
    const parsed: unknown = JSON.parse(job.optionsJson);
    if (parsed && typeof parsed === 'object') options = parsed as Record<string, unknown>;
  } catch {
    // stored options are always JSON; an empty object is the runner's fallback too
  }
  return model.buildInput({ urls: [job.inputUrl] }, job.preset, options);
}

/** Whether the job keeps the exact input its submit sent (anything else is rebuilt: a guess at it). */
function keepsSentInput(job: Pick<JobRow, 'submitInputJson'>): boolean {
  return job.submitInputJson !== null && safeParse(job.submitInputJson) !== null;
}

/** Whether `value` holds the string `needle` anywhere (a row's stored input naming our upload). */
function mentions(value: unknown, needle: string): boolean {
  if (typeof value === 'string') return value === needle;
  if (Array.isArray(value)) return value.some((item) => mentions(item, needle));
  if (value !== null && typeof value === 'object') return Object.values(value).some((item) => mentions(item, needle));
  return false;
}

function safeParse(json: string): unknown {
  try {
    return JSON.parse(json) as unknown;
  } catch {
    return null;
  }
}

function reasonOf(error: unknown): WaitReason {
  const kind = (error as Partial<PlatformError>).kind;
  switch (kind) {
    case 'forbidden':
      return 'no_permission';
    case 'unauthorized':
      return 'key_rejected';
    case 'offline':
      return 'offline';
    case 'server':
    case 'rate_limited':
      return 'platform_down';
    default:
      return 'platform_error';
  }
}

/**
 * The latest the submit can have left: its send mark, or - when recovery found only the armed intent
 * (its mark lost with a power cut, queue/store-leases.ts: the send time is then the arm's, which may
 * be long before the POST) - when the job was found so. FAL's listing delay (settleMs) counts from then.
 */
function latestSendAt(job: JobRow, checkedAt: number): number {
  return Math.max(job.submitStartedAt ?? checkedAt, job.finishedAt ?? 0);
}

const emptyReport = (): ReconcileReport => ({ checked: 0, adopted: [], absent: [], resubmitted: [], waiting: [], pastFound: [], pastAbsent: [] });

const pastKey = (send: { jobId: string; sentAt: number }) => `${send.jobId}@${send.sentAt}`;

/**
 * The rows a past send of a job may be: a job's sends carry the same input (a resend keeps the uploaded
 * image), so a row FAL received nearer another unsettled send of the same job (`rivals`) is that one's,
 * never the past send's - taken for it, the later send could never adopt its own request and would be
 * sent a third time. A row with no readable send time stays a candidate.
 */
export function rowsFor(sentAt: number, rivals: readonly number[], rows: readonly RequestRow[]): RequestRow[] {
  if (rivals.length === 0) return [...rows];
  return rows.filter((row) => {
    const at = row.sent_at ? Date.parse(row.sent_at) : Number.NaN;
    if (Number.isNaN(at)) return true;
    return rivals.every((rival) => Math.abs(at - sentAt) <= Math.abs(at - rival));
  });
}

/** Unreadable rows already logged (their fingerprints), so a row listed on every pass is logged once. */
const LOGGED_ROWS_KEPT = 1_000;

export function createReconciler(deps: ReconcilerDeps): Reconciler {
  const checks = new CheckStore(deps.jobs.db, deps.jobs);
  const sentInput = deps.sentInput ?? rebuildSentInput;
  let running: Promise<ReconcileReport> | null = null;
  let next: { force: boolean; report: Promise<ReconcileReport> } | null = null;
  let timer: ReturnType<typeof setInterval> | null = null;
  const loggedRows = new Set<string>();
  /** Past sends' checks in this process (count, next time): they are few, and checked afresh after a restart. */
  const pastChecks = new Map<string, { checks: number; nextCheckAt: number }>();

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
      const message = absentMessage(checkedAt, latestSendAt(job, checkedAt));
      emit(checks.describe(job, { errorCode: NOT_RECEIVED_CODE, errorMessage: message, message }, checkedAt, message));
      report.absent.push({ jobId: job.id, checkedAt });
      deps.logger.info(`job ${job.id}: FAL has no record of its submission; safe to send again`);
    }
    if (!config.autoResubmit) return;
    const requeued = deps.jobs.requeue(job.id, deps.now(), { resubmit: true, message: resubmitMessage(evidenceAt) });
    if (requeued) {
      emit(requeued);
      report.resubmitted.push(job.id);
      deps.wake();
    }
  }

  /** The job's other unsettled sends, as times: its current one when uncertain, and its kept past sends. */
  function rivalsOf(jobId: string, sentAt: number, pastSends: readonly PastSend[]): number[] {
    const job = deps.jobs.get(jobId);
    const current = job && job.state === 'needs_attention' && job.falRequestId === null && job.submitStartedAt !== null ? [job.submitStartedAt] : [];
    return [...current, ...pastSends.filter((p) => p.jobId === jobId).map((p) => p.sentAt)].filter((at) => at !== sentAt);
  }

  /** A job's send in flight with no request id yet (submitting now): FAL may list it already, with the same input. */
  function sendInFlight(jobId: string): boolean {
    const job = deps.jobs.get(jobId);
    return Boolean(job && job.state !== 'needs_attention' && job.falRequestId === null && job.submitStartedAt !== null);
  }

  function pastWait(send: PastSend, checkedAt: number, config: ReconcileConfig): void {
    const previous = pastChecks.get(pastKey(send));
    const count = (previous?.checks ?? 0) + 1;
    let nextCheckAt = checkedAt + backoff(count, config);
    const settleAt = send.latestSentAt + config.settleMs;
    if (checkedAt < settleAt) nextCheckAt = Math.max(checkedAt + Math.min(1_000, config.retryBaseMs), Math.min(nextCheckAt, settleAt));
    pastChecks.set(pastKey(send), { checks: count, nextCheckAt });
  }

  /** Settles the past sends of one endpoint from the history rows read for it (none: nothing to read them from). */
  function checkPastSends(
    sends: readonly PastSend[],
    allPast: readonly PastSend[],
    history: RequestHistory | null,
    checkedAt: number,
    config: ReconcileConfig,
    report: ReconcileReport,
  ): void {
    for (const send of sends) {
      // The job is submitting again right now: its new request may be listed with the same input. Later.
      if (!history || sendInFlight(send.jobId)) {
        pastWait(send, checkedAt, config);
        continue;
      }
      report.checked++;
      const rows = rowsFor(send.sentAt, rivalsOf(send.jobId, send.sentAt, allPast), history.rows);
      const taken = checks.takenRequestIds(rows.map((row) => row.request_id));
      const input = send.inputJson === null ? rebuildSentInput({ ...send, preset: send.preset as JobRow['preset'], submitInputJson: null }) : safeParse(send.inputJson);
      // Nothing to tell its row by: no conclusion (never "absent" for want of a fingerprint).
      if (input === null) {
        pastWait(send, checkedAt, config);
        continue;
      }
      const result = matchSubmission({ endpoint: send.endpoint, sentAt: send.sentAt, input }, rows, taken);
      if (result.kind === 'found') {
        if (checks.settlePastSendFound(send, result.requestId, deps.now(), result.receivedAt)) {
          pastChecks.delete(pastKey(send));
          const message = pastFoundMessage(deps.jobs.get(send.jobId)?.inputName ?? null, send.sentAt, result.requestId, send.estimatedCostUsd);
          report.pastFound.push({ jobId: send.jobId, sentAt: send.sentAt, requestId: result.requestId, usd: send.estimatedCostUsd, message });
          deps.logger.info(`job ${send.jobId}: FAL had received an earlier send (${result.requestId}); counted, not followed`);
        }
      } else if (
        result.kind === 'absent' && checkedAt >= send.latestSentAt + config.settleMs && history.unreadable.length === 0 &&
        // Rebuilt (no exact copy kept): a row naming its upload that it does not match may still be it.
        !(send.inputJson === null && send.inputUrl !== null && rows.some((row) => !taken.has(row.request_id) && row.endpoint_id === send.endpoint && mentions(row.json_input, send.inputUrl!)))
      ) {
        if (checks.settlePastSendAbsent(send, checkedAt)) {
          pastChecks.delete(pastKey(send));
          report.pastAbsent.push({ jobId: send.jobId, sentAt: send.sentAt, message: pastAbsentMessage(deps.jobs.get(send.jobId)?.inputName ?? null, send.sentAt, checkedAt) });
          deps.logger.info(`job ${send.jobId}: FAL has no record of an earlier send; never charged`);
        }
      } else {
        pastWait(send, checkedAt, config);
      }
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
      checkPastSends(pastSends, allPast, null, checkedAt, config, report);
      return;
    }
    const sentTimes = [...pending.map((job) => job.submitStartedAt ?? checkedAt), ...pastSends.map((send) => send.sentAt)];
    let history: RequestHistory;
    try {
      history = await client.requests({
        endpointId: endpoint,
        start: new Date(Math.min(...sentTimes) - config.windowMarginMs),
        end: new Date(Math.max(checkedAt, ...sentTimes) + config.windowMarginMs),
        payloads: true,
      });
    } catch (error) {
      const reason = reasonOf(error);
      deps.logger.warn(`reconcile: could not read FAL's request history for ${endpoint} (${reason})`);
      for (const job of pending) wait(job, previous.get(job.id) ?? null, reason, checkedAt, config, report);
      checkPastSends(pastSends, allPast, null, checkedAt, config, report);
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
    checkPastSends(pastSends, allPast, history, checkedAt, config, report);
  }

  async function pass(force: boolean): Promise<ReconcileReport> {
    const report = emptyReport();
    const config = deps.config();
    const now = deps.now();
    const due = checks.uncertainJobs().filter((job) => isDue(job, config, now, force));
    const allPast = checks.uncertainPastSends(now);
    const pastDue = allPast.filter((send) => force || (pastChecks.get(pastKey(send))?.nextCheckAt ?? 0) <= now);
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
        reconciler.runOnce().catch((error: unknown) => deps.logger.warn(`reconcile failed: ${error instanceof Error ? error.message : String(error)}`));
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
