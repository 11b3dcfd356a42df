// A worker's writes to the job it holds. Each is conditioned on the worker's fencing token, so a
// worker whose lease was taken over changes nothing; state changes follow the transition table and
// are journaled. Recording a submission (request id + spend) is one transaction of its own.
import type { JobState } from '../../shared/domain';
import { isBusyError, savepoint, writeTx } from '../db/write';
import { toRow, WRITABLE, type EventKind, type JobPatch, type JobRow, type Raw } from './rows';
import { appendEvent, durably, type StoreContext } from './store-context';
import { falQueueMessage } from './fal-queue-message';
import { getJob } from './store-reads';
import { canTransition, RefusedStepError, statesLeadingTo, TransitionError } from './transitions';

/** Patch fields that may carry outside text. */
const REDACTED: ReadonlySet<string> = new Set(['message', 'errorMessage']);

/**
 * Applies `patch` if the caller still holds the job (same fence). With `patch.state` the change
 * must be allowed by the transition table and is journaled. Progress only moves forward.
 * Returns the updated row, or null when the write was fenced off.
 */
export function updateFenced(
  ctx: StoreContext,
  id: string,
  fence: number,
  patch: JobPatch,
  at: number,
  note?: string | null,
  logs: readonly string[] = [],
  steps: readonly JobStep[] = [],
): JobRow | null {
  const run = () => writeTx(ctx.db, () => (applySteps(ctx, id, fence, steps) ? updateInTx(ctx, id, fence, patch, at, note ?? null, logs) : null));
  // The armed submit intent must be on disk before the job may be sent (engine/fal-steps.ts): the
  // caller awaits JobStore.syncToDisk (an fsync off this thread); without a WAL file the commit syncs itself.
  return patch.submitArmedAt && !ctx.walSync ? durably(ctx, run) : run();
}

/** One job's fenced write in a batch (updateManyFenced): as updateFenced's arguments. */
export interface FencedUpdate {
  id: string;
  fence: number;
  patch: JobPatch;
  at: number;
  logs: readonly string[];
  steps: readonly JobStep[];
}

/**
 * Several jobs' cosmetic writes (engine/flush-group.ts) in one transaction: a commit is the engine's
 * main cost per write, and a row's pages written once for many jobs. Each job's write is a savepoint
 * of its own, so one refused (a transition the table forbids) leaves the others written: its entry is
 * the error. Fenced off: null. A failing transaction as a whole throws.
 */
export function updateManyFenced(ctx: StoreContext, updates: readonly FencedUpdate[]): (JobRow | null | Error)[] {
  // Some errors (SQLITE_FULL, an I/O error) make SQLite roll back the whole transaction, not just the
  // job's savepoint: what followed would commit on its own, outside the batch (and be written again
  // by the next flush). That job's entry is its error; the batch runs again without it.
  let wholeBatch: { at: number; error: Error } | null = null;
  try {
    return writeTx(ctx.db, () =>
      updates.map((u, at) => {
        try {
          return savepoint(ctx.db, () => (applySteps(ctx, u.id, u.fence, u.steps) ? updateInTx(ctx, u.id, u.fence, u.patch, u.at, null, u.logs) : null));
        } catch (error) {
          if (isBusyError(error)) throw error;
          const failure = error instanceof Error ? error : new Error(String(error));
          if (ctx.db.inTransaction) return failure;
          wholeBatch = { at, error: failure };
          throw error;
        }
      }),
    );
  } catch (error) {
    const rolledBack = wholeBatch as { at: number; error: Error } | null;
    if (!rolledBack) throw error;
    const rest = updateManyFenced(ctx, updates.filter((_, i) => i !== rolledBack.at));
    return [...rest.slice(0, rolledBack.at), rolledBack.error, ...rest.slice(rolledBack.at)];
  }
}

/**
 * A change a worker made earlier and writes now, with the next write (job-writer.ts softState): applied
 * in order, each journaled with its own time, in the same transaction as that write.
 */
export interface JobStep {
  patch: JobPatch;
  at: number;
  note: string | null;
  logs: readonly string[];
}

/** False when fenced off (nothing was changed). A step the table refuses throws RefusedStepError, naming it. */
function applySteps(ctx: StoreContext, id: string, fence: number, steps: readonly JobStep[]): boolean {
  return steps.every((step, i) => {
    try {
      return updateInTx(ctx, id, fence, step.patch, step.at, step.note, step.logs) !== null;
    } catch (error) {
      if (error instanceof TransitionError) throw new RefusedStepError(error.from, error.to, i);
      throw error;
    }
  });
}

function updateInTx(ctx: StoreContext, id: string, fence: number, patch: JobPatch, at: number, note: string | null, logs: readonly string[] = []): JobRow | null {
  const keys = (Object.keys(patch) as (keyof JobPatch)[]).filter((key) => patch[key] !== undefined);
  const sets = keys.map((key) => (key === 'progress' ? 'progress = MAX(progress, @progress)' : `${WRITABLE[key]} = @${key}`));
  const params: Record<string, unknown> = { id, fence };
  for (const key of keys) {
    const value = patch[key];
    params[key] = typeof value === 'boolean' ? (value ? 1 : 0) : typeof value === 'string' && REDACTED.has(key) ? ctx.redact(value) : value;
  }
  let where = 'id = @id AND fence = @fence';
  let from: JobState | null = null;
  if (patch.state) {
    const current = getJob(ctx, id);
    if (!current || current.fence !== fence) return null;
    from = current.state;
    if (from !== patch.state && !canTransition(from, patch.state)) throw new TransitionError(from, patch.state);
    where += ` AND state IN (${statesLeadingTo(patch.state).concat(patch.state).map((s) => `'${s}'`).join(',')})`;
  }
  // Without changes the fenced no-op still tells whether the job is still ours.
  if (sets.length === 0) sets.push('fence = fence');
  const raw = ctx.stmt(`UPDATE jobs SET ${sets.join(', ')} WHERE ${where} RETURNING *`).get(params) as Raw | undefined;
  if (!raw) return null;
  const row = toRow(raw);
  for (const line of logs) appendEvent(ctx, id, 'log', null, null, line, at);
  if (patch.state && from !== patch.state) appendEvent(ctx, id, 'transition', from, patch.state, note, at);
  else if (note) appendEvent(ctx, id, 'log', null, null, note, at);
  return row;
}

/** Fenced journal line (FAL log lines, notes); false when fenced off. */
export function logFenced(ctx: StoreContext, id: string, fence: number, message: string, at: number, kind: EventKind = 'log'): boolean {
  return writeTx(ctx.db, () => {
    const held = ctx.stmt('SELECT 1 FROM jobs WHERE id = ? AND fence = ?').get(id, fence);
    if (!held) return false;
    appendEvent(ctx, id, kind, null, null, message, at);
    return true;
  });
}

/**
 * Records a submission: the request id, the state and the spend, in one transaction, so a
 * crash can never leave a submitted job without its request id stored. A normal commit, not a
 * synced one: a power cut that drops it leaves the synced submit intent, so the job comes back
 * needs_attention and reconciliation finds the request in FAL's records - never a second charge.
 * (One fsync less per job on the engine's one thread.)
 */
export function recordSubmission(ctx: StoreContext, id: string, fence: number, requestId: string, queuePosition: number | null, progress: number, at: number): JobRow | null {
  return writeTx(ctx.db, () => {
    const row = updateInTx(
      ctx,
      id,
      fence,
      {
        state: 'submitted',
        falRequestId: requestId,
        submittedAt: at,
        queuePosition,
        progress,
        message: falQueueMessage(queuePosition),
      },
      at,
      `Submitted to FAL as ${requestId}`,
    );
    if (row && row.estimatedCostUsd !== null) {
      ctx.stmt('INSERT INTO spend (job_id, at, usd, request_id) VALUES (?, ?, ?, ?)').run(id, at, row.estimatedCostUsd, requestId);
    }
    return row;
  });
}

/**
 * Runs the pending steps, `before` (e.g. inserting the job's model), the fenced update and `after` (given
 * the updated row: statistics) in one transaction;
 * when the update is fenced off nothing of it is kept. Returns the updated row or null.
 */
export function commitWith(
  ctx: StoreContext,
  id: string,
  fence: number,
  patch: JobPatch,
  at: number,
  note: string | null,
  before: () => void,
  pending: { steps?: readonly JobStep[]; logs?: readonly string[] } = {},
  after?: (row: JobRow) => void,
): JobRow | null {
  try {
    return writeTx(ctx.db, () => {
      if (!applySteps(ctx, id, fence, pending.steps ?? [])) throw new FencedOff();
      before();
      const row = updateInTx(ctx, id, fence, patch, at, note, pending.logs);
      if (!row) throw new FencedOff();
      after?.(row);
      return row;
    });
  } catch (error) {
    if (error instanceof FencedOff) return null;
    throw error;
  }
}

/** Rolls back a transaction whose fenced update changed nothing. */
class FencedOff extends Error {}
