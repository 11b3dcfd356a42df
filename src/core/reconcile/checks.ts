// SQL for reconciliation: the uncertain jobs, what each check found (the evidence, kept in
// `submit_checks`), and adopting a request id FAL turned out to have. Every write is conditional,
// so several processes reconciling the same folder cannot adopt twice or resurrect a settled job.
import type { Database, Statement } from 'better-sqlite3';
import { statementCache } from '../db/statements';
import { CLEAR_LEASE_SQL } from '../queue/rows';
import type { JobRow, JobStore } from '../queue/store';
import { FORGET_UNCERTAIN_SEND } from '../stats/recorder';
import { shownTime } from './messages';

/** What the last check concluded for one uncertain submission. */
export type CheckStatus = 'waiting' | 'found' | 'absent';

export interface SubmitCheck {
  jobId: string;
  /** The send time this check is about (a later resubmit starts a new record). */
  sentAt: number;
  status: CheckStatus;
  checks: number;
  firstCheckedAt: number | null;
  lastCheckedAt: number | null;
  nextCheckAt: number | null;
  /** Why it is not settled yet: settling | no_permission | no_payloads | offline | platform_down | no_key | key_rejected | platform_error. */
  reason: string | null;
  requestId: string | null;
  /** Evidence: when the check that found no record ran. */
  absentCheckedAt: number | null;
}

type Raw = Record<string, unknown>;

/**
 * A send of a job that may have reached FAL (answer lost, not settled) which the job no longer
 * carries: the user sent it again or removed the job (job_past_sends). Settled like the job's own.
 */
export interface PastSend {
  jobId: string;
  sentAt: number;
  /**
   * The latest it can have left (when its job was found so: after a power cut `sentAt` is the arm's,
   * possibly long before the POST). FAL's listing delay counts from here.
   */
  latestSentAt: number;
  endpoint: string;
  /** The exact input sent (JSON), or null for a send from before it was kept: rebuilt from the rest. */
  inputJson: string | null;
  inputUrl: string | null;
  optionsJson: string;
  preset: string;
  estimatedCostUsd: number | null;
}

function toPastSend(raw: Raw): PastSend {
  return {
    jobId: String(raw.job_id),
    sentAt: Number(raw.sent_at),
    latestSentAt: Math.max(Number(raw.sent_at), num(raw.latest_sent_at) ?? 0),
    endpoint: String(raw.endpoint),
    inputJson: raw.input_json === null ? null : String(raw.input_json),
    inputUrl: raw.input_url === null ? null : String(raw.input_url),
    optionsJson: String(raw.options_json),
    preset: String(raw.preset),
    estimatedCostUsd: num(raw.estimated_cost_usd),
  };
}

const TAKEN_SQL = `SELECT 1 FROM jobs WHERE fal_request_id = ? UNION ALL SELECT 1 FROM job_past_requests WHERE request_id = ? LIMIT 1`;
const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));

function toCheck(raw: Raw): SubmitCheck {
  return {
    jobId: String(raw.job_id),
    sentAt: Number(raw.sent_at),
    status: String(raw.status) as CheckStatus,
    checks: Number(raw.checks),
    firstCheckedAt: num(raw.first_checked_at),
    lastCheckedAt: num(raw.last_checked_at),
    nextCheckAt: num(raw.next_check_at),
    reason: raw.reason === null ? null : String(raw.reason),
    requestId: raw.request_id === null ? null : String(raw.request_id),
    absentCheckedAt: num(raw.absent_checked_at),
  };
}

export class CheckStore {
  private readonly stmt: (sql: string) => Statement;

  constructor(
    private readonly db: Database,
    private readonly jobs: JobStore,
  ) {
    this.stmt = statementCache(db);
  }

  /** Jobs whose submit left but whose request id is unknown. */
  uncertainJobs(): JobRow[] {
    const ids = this.stmt(
      `SELECT id FROM jobs WHERE state = 'needs_attention' AND fal_request_id IS NULL AND submit_started_at IS NOT NULL ORDER BY created_at, rowid`,
    ).all() as { id: string }[];
    return ids.map(({ id }) => this.jobs.get(id)).filter((row): row is JobRow => row !== null);
  }

  /** The check record for this job's current send, if any. */
  get(jobId: string, sentAt: number): SubmitCheck | null {
    const raw = this.stmt('SELECT * FROM submit_checks WHERE job_id = ? AND sent_at = ?').get(jobId, sentAt) as Raw | undefined;
    return raw ? toCheck(raw) : null;
  }

  /** Request ids some job owns or owned before a resend (never adopted a second time). */
  takenRequestIds(candidates: readonly string[]): Set<string> {
    const taken = new Set<string>();
    for (const id of candidates) {
      if (this.stmt(TAKEN_SQL).get(id, id)) taken.add(id);
    }
    return taken;
  }

  record(check: SubmitCheck): void {
    this.stmt(
      `INSERT INTO submit_checks (job_id, sent_at, status, checks, first_checked_at, last_checked_at, next_check_at, reason, request_id, absent_checked_at)
       VALUES (@jobId, @sentAt, @status, @checks, @firstCheckedAt, @lastCheckedAt, @nextCheckAt, @reason, @requestId, @absentCheckedAt)
       ON CONFLICT(job_id) DO UPDATE SET sent_at = excluded.sent_at, status = excluded.status, checks = excluded.checks,
         first_checked_at = excluded.first_checked_at, last_checked_at = excluded.last_checked_at, next_check_at = excluded.next_check_at,
         reason = excluded.reason, request_id = excluded.request_id, absent_checked_at = excluded.absent_checked_at`,
    ).run(check);
  }

  /**
   * FAL has the submission: the job gets the request id and goes back to the queue, where a worker
   * follows it (never submits again). It counts as sent when FAL received it (`receivedAt`, from FAL's
   * row, not after `at`) if that is later than the job's send time - which is the arm's when the mark
   * was lost (queue/store-leases.ts), possibly long before the POST: its follow time is not cut short by
   * a slot wait. The spend is dated the same (the best known send time, so it falls in the day and
   * month FAL charged it, not at an arm before a slot wait or a power cut). Null when another process
   * settled the job first or the id is taken.
   */
  adopt(job: JobRow, requestId: string, at: number, message: string, receivedAt: number | null = null): JobRow | null {
    const sentAt = job.submitStartedAt ?? at;
    const submittedAt = receivedAt === null ? sentAt : Math.max(sentAt, Math.min(receivedAt, at));
    return this.db.transaction(() => {
      const changed = this.stmt(
        `UPDATE jobs SET state = 'queued', fal_request_id = @requestId, submitted_at = @submittedAt, fence = fence + 1,
           ${CLEAR_LEASE_SQL},
           error_code = NULL, error_message = NULL, finished_at = NULL, request_finished = 0, message = @message
         WHERE id = @id AND state = 'needs_attention' AND fal_request_id IS NULL AND submit_started_at = @sentAt
           AND NOT EXISTS (SELECT 1 FROM jobs WHERE fal_request_id = @requestId)
           AND NOT EXISTS (SELECT 1 FROM job_past_requests WHERE request_id = @requestId)`,
      ).run({ id: job.id, requestId, sentAt: job.submitStartedAt, submittedAt, message }).changes;
      if (changed === 0) return null;
      // Not an uncertain request any more: the adopted one's outcome will be counted (src/core/stats).
      if (job.submitStartedAt !== null) this.stmt(FORGET_UNCERTAIN_SEND).run(job.id, job.submitStartedAt);
      if (job.estimatedCostUsd !== null) {
        this.stmt('INSERT INTO spend (job_id, at, usd, request_id) VALUES (?, ?, ?, ?)').run(job.id, submittedAt, job.estimatedCostUsd, requestId);
      }
      this.jobs.appendEvent(job.id, 'transition', 'needs_attention', 'queued', message, at);
      return this.jobs.get(job.id);
    }).immediate();
  }

  /**
   * Past sends not settled yet (job_past_sends), oldest first. One with no latest send time was kept by
   * a process of a build from before migration 18 still running after the upgrade: when it can have left
   * is not known, so FAL's listing delay counts from `now` (first seen here), as for rows kept before it.
   */
  uncertainPastSends(now: number): PastSend[] {
    // Written only when there is one (a write each pass would take the database's write lock for nothing).
    if (this.stmt(`SELECT 1 FROM job_past_sends WHERE status = 'uncertain' AND latest_sent_at IS NULL LIMIT 1`).get() !== undefined) {
      this.stmt(`UPDATE job_past_sends SET latest_sent_at = MAX(sent_at, @now) WHERE status = 'uncertain' AND latest_sent_at IS NULL`).run({ now });
    }
    return (this.stmt(`SELECT * FROM job_past_sends WHERE status = 'uncertain' ORDER BY sent_at, job_id`).all() as Raw[]).map(toPastSend);
  }

  /**
   * FAL has this past send as `requestId`: it is counted as spend once (at its estimate, dated when
   * FAL received it) and kept among the job's past requests, where the billing sync asks for its real
   * cost and reconciliation never takes it for another send. Nobody follows it: the job has moved on.
   * False when it was settled meanwhile (another process, FAL's late answer) or the id is taken.
   */
  settlePastSendFound(send: PastSend, requestId: string, at: number, receivedAt: number | null): boolean {
    const countedAt = receivedAt === null ? send.sentAt : Math.max(send.sentAt, Math.min(receivedAt, at));
    return this.db.transaction(() => {
      const changed = this.stmt(
        `UPDATE job_past_sends SET status = 'found', request_id = @requestId, settled_at = @at
         WHERE job_id = @jobId AND sent_at = @sentAt AND status = 'uncertain'
           AND NOT EXISTS (SELECT 1 FROM jobs WHERE fal_request_id = @requestId)
           AND NOT EXISTS (SELECT 1 FROM job_past_requests WHERE request_id = @requestId)`,
      ).run({ jobId: send.jobId, sentAt: send.sentAt, requestId, at }).changes;
      if (changed === 0) return false;
      this.stmt('INSERT INTO job_past_requests (request_id, job_id, at) VALUES (?, ?, ?)').run(requestId, send.jobId, countedAt);
      if (send.estimatedCostUsd !== null) {
        this.stmt('INSERT INTO spend (job_id, at, usd, request_id) VALUES (?, ?, ?, ?)').run(send.jobId, countedAt, send.estimatedCostUsd, requestId);
      }
      if (this.jobs.get(send.jobId)) {
        this.jobs.appendEvent(send.jobId, 'log', null, null, `FAL had received an earlier send of this job (request ${requestId}); it is counted in the spend, and not followed`, at);
      }
      return true;
    }).immediate();
  }

  /** FAL never received this past send (checked after the settle time): it counts for nothing. */
  settlePastSendAbsent(send: PastSend, at: number): boolean {
    return this.db.transaction(() => {
      const changed = this.stmt(`UPDATE job_past_sends SET status = 'absent', settled_at = ? WHERE job_id = ? AND sent_at = ? AND status = 'uncertain'`)
        .run(at, send.jobId, send.sentAt).changes;
      if (changed === 0) return false;
      this.stmt(FORGET_UNCERTAIN_SEND).run(send.jobId, send.sentAt);
      if (this.jobs.get(send.jobId)) {
        this.jobs.appendEvent(send.jobId, 'log', null, null, `FAL has no record of an earlier send of this job (checked at ${shownTime(at)}): it was never charged`, at);
      }
      return true;
    }).immediate();
  }

  /**
   * FAL never received this send: it is no FAL request, so its "uncertain" request statistic is taken
   * back (a submit that never reached FAL is not counted, as when the app was offline).
   */
  forgetUncertainSend(job: JobRow): void {
    if (job.submitStartedAt !== null) this.stmt(FORGET_UNCERTAIN_SEND).run(job.id, job.submitStartedAt);
  }

  /** Plain-words state of an uncertain job (message and error text), unless it changed meanwhile. */
  describe(job: JobRow, patch: { errorCode: string; errorMessage: string; message: string }, at: number, note: string | null): JobRow | null {
    if (job.errorCode === patch.errorCode && job.errorMessage === patch.errorMessage && job.message === patch.message) return null;
    return this.jobs.update(job.id, job.fence, patch, at, note);
  }
}
