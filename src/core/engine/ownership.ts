// Who owns a job: each engine has an owner id (host/pid/instance) written into the leases it takes.
// A job whose owner is gone (its lease expired, or its process or engine instance is dead) is taken
// back at start-up and periodically by whoever notices. Lease clearing lives here and in the store
// (LEASE_CLEARED): nowhere else.
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { JobState } from '../../shared/domain';
import { LEASE_CLEARED, type JobPatch, type JobRow, type JobStore } from '../queue/store';
import type { JobWriter } from './job-writer';
import type { Logger } from './types';

/** Engines alive in this process, so recovery can tell a crashed owner from a live one. */
const LIVE_INSTANCES = new Set<string>();
const HOST = hostname();

/** Said by whichever process notices (the app or the CLI, of its own job or another's): it names neither. */
export const SUBMIT_INTERRUPTED_MESSAGE =
  'Image2Model (the app or the image2model command) stopped while sending this job to FAL; it may or may not have been accepted. Retry to submit again (may be charged twice).';

export interface Ownership {
  /** `host/pid/instance`, written into every lease this engine takes. */
  readonly owner: string;
  /** This engine is running: its leases are live. */
  markAlive(): void;
  markStopped(): void;
  /** Takes back jobs whose worker is gone; returns the rows it changed. */
  recover(now: number): JobRow[];
  /** Jobs this engine sent to FAL whose answer (the request id) has not come. */
  sending(): JobRow[];
  /** Takes back this engine's own jobs now, as recover() would once its process is gone (Engine.abandonNow). */
  abandon(now: number): JobRow[];
}

export function createOwnership(store: JobStore, logger: Logger): Ownership {
  const instance = randomUUID().slice(0, 8);
  const owner = `${HOST}/${process.pid}/${instance}`;
  const takeBack = (now: number, ownerIsDead: (leaseOwner: string) => boolean) => {
    const rows = store.recoverOrphans(now, ownerIsDead, SUBMIT_INTERRUPTED_MESSAGE);
    for (const row of rows) logger.info(`job ${row.id} recovered as ${row.state}`);
    return rows;
  };
  return {
    owner,
    markAlive: () => LIVE_INSTANCES.add(instance),
    markStopped: () => LIVE_INSTANCES.delete(instance),
    recover: (now) => takeBack(now, isOwnerDead),
    sending: () => store.list().filter((row) => row.leaseOwner === owner && row.submitStartedAt !== null && row.falRequestId === null),
    abandon: (now) => takeBack(now, (leaseOwner) => leaseOwner === owner),
  };
}

/** A lease owner on this machine whose process (or engine instance) is gone. */
export function isOwnerDead(leaseOwner: string): boolean {
  const [host, pidText, ownerInstance] = leaseOwner.split('/');
  const pid = Number(pidText);
  if (host !== HOST || !Number.isInteger(pid) || pid <= 0) return false; // another machine: wait for the lease
  if (pid === process.pid) return !LIVE_INSTANCES.has(ownerInstance ?? '');
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/** The patch that ends a job in `state`, giving up its lease. */
export function endedPatch(state: Extract<JobState, 'succeeded' | 'failed' | 'canceled' | 'needs_attention'>, now: number): JobPatch {
  return { state, finishedAt: now, ...LEASE_CLEARED };
}

/** The patch that puts a job back in the queue (keeping its upload and request id). */
export function releasedPatch(patch: JobPatch): JobPatch {
  return { state: 'queued', ...LEASE_CLEARED, ...patch };
}

/**
 * The patch for a job whose submit may or may not have reached FAL: it ends needs_attention with a
 * machine-readable `code`, so the user (or a reconciler) decides; never a silent resubmit.
 */
export function needsAttentionPatch(code: string, message: string, now: number): JobPatch {
  return { ...endedPatch('needs_attention', now), errorCode: code, errorMessage: message, message };
}

/** Gives the job back to the queue (see releasedPatch), journaling why. */
export function releaseJob(writer: JobWriter, patch: JobPatch): void {
  const note = patch.errorMessage ?? patch.message ?? undefined;
  writer.write(releasedPatch(patch), note ?? undefined);
}
