// Adding jobs, with no lease held: insert them, or join each to the same photo's job already on its
// way (one paid job per photo and settings). The look for a twin and the insert share one BEGIN
// IMMEDIATE transaction, so two processes adding the same photo at once make one job.
import { writeTx } from '../db/write';
import { recordJoinedOutput } from './output-copy';
import type { JobRow, NewJob } from './rows';
import { requeueIn } from './store-actions';
import { appendEvent, durably, type StoreContext } from './store-context';
import { activeSiblings, getJob, notReceivedSiblings, paidSiblings, photoSiblings, uncertainSiblings } from './store-reads';

/**
 * New jobs must survive a power cut once the caller is answered. With a WAL sync (a file database)
 * the insert commits like any other and the caller awaits JobStore.syncToDisk() before answering:
 * SQLite's own fsync (synchronous = FULL) would block the thread that also serves the window for
 * each insert (3-10 ms here under load; a drop of 1,000 photos makes ~200 inserts). Without one
 * (in-memory, other journal modes) the commit itself is synced.
 */
function insertDurably<T>(ctx: StoreContext, fn: () => T): T {
  return ctx.walSync ? fn() : durably(ctx, fn);
}

/** Inserts queued jobs in one transaction (all or none); see insertDurably for when they are on disk. */
export function insertMany(ctx: StoreContext, jobs: readonly NewJob[], alsoFor?: (job: NewJob) => void): JobRow[] {
  return insertDurably(ctx, () => writeTx(ctx.db, () => jobs.map((job) => insertOne(ctx, job, alsoFor))));
}

/** A job to add, and whether it may join one already on its way instead (addOrJoin). */
export interface JobToAdd {
  job: NewJob;
  /**
   * Join an unfinished job (not being canceled) with the same input and settings, or one whose submit
   * is uncertain (it may be running at FAL), instead of adding this one: a second job would be paid
   * for again. False for a job asked for anyway (--force).
   */
  mayJoin: boolean;
  /**
   * Failing all else, join any job made from the same photo (another generator or settings, ended:
   * left as it is), for adds no user asked for (the watched folder): one photo is made once.
   */
  joinAny?: boolean;
  /**
   * Where this job's model was asked for (the CLI's --out and the image's name): when it joins, kept
   * with the job it joined (queue/output-copy.ts job_outputs), so a later `resume` writes it too.
   */
  joinOutput?: { dir: string; name: string } | null;
}

/**
 * What became of each JobToAdd: a new row, or the unfinished job it joined - `revived` when that job
 * had failed with its paid result still at FAL and goes back to the queue to fetch it (free), or FAL
 * never received its send and it goes back to be sent again.
 */
export type AddOutcome = { kind: 'added' | 'joined'; row: JobRow; revived?: boolean };

/** A failed job that FAL made the model for, back in the queue because its photo was added again. */
const FETCH_PAID_MESSAGE = 'The same photo was added again: fetching the model FAL already made (free)';

/** A job FAL never received (its records say so), back in the queue because its photo was added again. */
const RESEND_NOT_RECEIVED_MESSAGE = 'The same photo was added again: sending this job again (FAL has no record of its first send, which was never charged)';

/**
 * Inserts queued jobs, or joins each to its twin on its way, in one BEGIN IMMEDIATE transaction: the
 * look for a twin and the insert cannot be split by another process (the app and a CLI run, two CLI
 * runs adding the same photo at once), so exactly one of them makes the job and the other joins it.
 * A job earlier in `jobs` is a twin for a later one too (the same photo twice in one drop).
 */
export function addOrJoin(ctx: StoreContext, jobs: readonly JobToAdd[], alsoFor?: (job: NewJob) => void, inputGone?: InputGone): AddOutcome[] {
  return insertDurably(ctx, () =>
    writeTx(ctx.db, () =>
      jobs.map(({ job, mayJoin, joinAny, joinOutput }): AddOutcome => {
        const joined = mayJoin ? joinTwin(ctx, job, joinOutput, inputGone, joinAny) : null;
        return joined ?? { kind: 'added', row: insertOne(ctx, job, alsoFor) };
      }),
    ),
  );
}

/**
 * Joins each job to its twin on its way (as addOrJoin), never inserting: null for one with no twin.
 * For an image held before paying (intake's holdConcerns): the same photo already sent anyway is
 * followed, not held again - and nothing is paid for without the user's word.
 */
export function joinOnly(ctx: StoreContext, jobs: readonly JobToAdd[], inputGone?: InputGone): (AddOutcome | null)[] {
  return insertDurably(ctx, () => writeTx(ctx.db, () => jobs.map(({ job, joinOutput, joinAny }) => joinTwin(ctx, job, joinOutput, inputGone, joinAny))));
}

/** The twin `job` joins, inside the caller's write transaction, or null when there is none. */
function joinTwin(ctx: StoreContext, job: NewJob, joinOutput: JobToAdd['joinOutput'], inputGone: InputGone | undefined, joinAny = false): AddOutcome | null {
  // A job on its way, else one whose submit FAL may have received (uncertain): either may be charged.
  let twin = activeSiblings(ctx, job)[0] ?? uncertainSiblings(ctx, job)[0];
  // Else one whose model FAL made (and charged) but that was never fetched: fetched again, free (Download again).
  const paid = !twin ? paidSiblings(ctx, job)[0] : undefined;
  if (paid) twin = requeueIn(ctx, paid.id, job.createdAt, { resubmit: false, message: FETCH_PAID_MESSAGE }) ?? undefined;
  // Else one FAL's records proved never received: sent again (one charge), not left beside a new
  // job for resending to send later (the same photo paid twice).
  const unsent = !twin ? notReceivedSiblings(ctx, job)[0] : undefined;
  if (unsent) twin = requeueIn(ctx, unsent.id, job.createdAt, { resubmit: true, message: RESEND_NOT_RECEIVED_MESSAGE, sentAt: unsent.submitStartedAt ?? undefined }) ?? undefined;
  const revived = (paid !== undefined || unsent !== undefined) && twin !== undefined;
  // Else, for an add nobody asked for, any job of the photo: a new one (or a new charge) is the user's call.
  if (!twin && joinAny) twin = photoSiblings(ctx, job)[0];
  if (!twin) return null;
  twin = adoptInputIfGone(ctx, twin, job, inputGone);
  if (!joinOutput) return { kind: 'joined', row: twin, revived };
  recordJoinedOutput(ctx.db, twin, joinOutput);
  return { kind: 'joined', row: getJob(ctx, twin.id) ?? twin, revived };
}

/** Whether a job's prepared copy is gone from the disk (the store knows no folders: the intake answers). */
export type InputGone = (row: JobRow) => boolean;

/**
 * A twin found by the original's sha256 has other prepared bytes than the drop joining it, so the drop
 * did not write the twin's prepared copy again (as a twin of the same prepared bytes gets): one whose
 * copy is gone and that waits unsent takes the drop's copy, or it would fail ("add the image again")
 * and the photo just added again would never be made.
 */
function adoptInputIfGone(ctx: StoreContext, twin: JobRow, job: NewJob, inputGone: InputGone | undefined): JobRow {
  if (!inputGone || twin.inputsJson !== null || twin.inputSha256 === job.inputSha256) return twin;
  if (twin.state !== 'queued' || twin.falRequestId !== null || !inputGone(twin)) return twin;
  const input = { id: twin.id, path: job.inputPath, sha256: job.inputSha256, mime: job.inputMime };
  const moved = ctx.stmt(
    `UPDATE jobs SET input_path = @path, input_sha256 = @sha256, input_mime = @mime, input_url = NULL
     WHERE id = @id AND state = 'queued' AND fal_request_id IS NULL`,
  ).run(input);
  if (moved.changes === 0) return twin;
  ctx.stmt('UPDATE job_inputs SET path = @path, sha256 = @sha256, mime = @mime, url = NULL WHERE job_id = @id AND position = 0').run(input);
  return getJob(ctx, twin.id) ?? twin;
}

function insertOne(ctx: StoreContext, job: NewJob, alsoFor?: (job: NewJob) => void): JobRow {
  ctx.stmt(
    `INSERT INTO jobs (id, state, endpoint, provider, preset, options_json, input_name, input_path, input_sha256,
       source_sha256, input_mime, max_attempts, created_at, estimated_cost_usd, message, output_dir, inputs_json)
     VALUES (@id, 'queued', @endpoint, @provider, @preset, @optionsJson, @inputName, @inputPath, @inputSha256,
       @sourceSha256, @inputMime, @maxAttempts, @createdAt, @estimatedCostUsd, @message, @outputDir, @inputsJson)`,
  ).run({ ...job, sourceSha256: job.sourceSha256 ?? null, message: job.message ?? null, outputDir: job.outputDir ?? null, inputsJson: job.inputsJson ?? null });
  // What belongs to the job (its images) is written in the same transaction.
  alsoFor?.(job);
  appendEvent(ctx, job.id, 'transition', null, 'queued', null, job.createdAt);
  return getJob(ctx, job.id)!;
}
