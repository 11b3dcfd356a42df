// What the queue says about itself (the `queue` event and queue:state): the first thing that holds FAL
// work, in the order it must be fixed - a failed disk (until a restart), a slow disk, a refused key or a
// used-up balance, no key, offline, the spending cap - with the words the window shows.
import type { QueueState } from '../../shared/domain';
import { SLOW_SYNC_MS } from '../db/wal-sync';
import type { CapUse } from './spending-cap';

export interface QueueFacts {
  counts: { active: number; queued: number; queuedNeedingKey: number; queuedFalToSend: number };
  diskFailure: Error | null;
  /** A sync has waited for the disk past slowSyncMs. */
  slowDisk: boolean;
  slowSyncMs?: number;
  /** The key FAL refused (`balance`: the account's balance is used up) with its message. */
  refusal: { message: string; balance: boolean } | null;
  hasKey: boolean;
  offline: { message: string; nextProbeAt: number } | null;
  /** The cap and what counts against it (read only when FAL jobs wait to be sent). */
  capUse(): CapUse | null;
}

/** What the queue says while the disk's failed fsync holds FAL work (db/wal-sync.ts): until a restart. */
export function diskPausedMessage(failure: Error): string {
  const detail = failure.cause instanceof Error ? ` (${failure.cause.message})` : '';
  return `Paused: the disk reported an error while saving${detail}. Nothing more is sent to FAL; the waiting jobs stay in the queue. Check the disk, then restart Image2Model.`;
}

export function describeQueue(facts: QueueFacts): QueueState {
  const { counts } = facts;
  const base = { running: counts.active, queued: counts.queued };
  // First: only a restart ends it, whatever else is fixed.
  const disk = facts.diskFailure;
  if (disk !== null) return { status: 'disk_error', message: diskPausedMessage(disk), ...base, resumesAt: null };
  if (facts.slowDisk) {
    const seconds = Math.round((facts.slowSyncMs ?? SLOW_SYNC_MS) / 1000);
    const message = `Saving to disk is taking unusually long (over ${seconds} s): new jobs and jobs about to be sent to FAL wait until the disk answers. Nothing is lost. If it stays this way, check the disk (free space, errors, a network or USB drive).`;
    return { status: 'disk_slow', message, ...base, resumesAt: null };
  }
  const refused = facts.refusal;
  if (refused !== null) return { status: refused.balance ? 'balance_used_up' : 'key_rejected', message: refused.message, ...base, resumesAt: null };
  // A job whose kept model link needs no key is not waiting for one.
  if (!facts.hasKey && counts.queuedNeedingKey > 0) {
    return {
      status: 'no_key',
      message: 'Add a FAL key in Settings to run the waiting jobs, or run them offline on this computer.',
      ...base,
      resumesAt: null,
    };
  }
  const offline = facts.offline;
  if (offline !== null) return { status: 'offline', message: offline.message, ...base, resumesAt: offline.nextProbeAt };
  // Held by the cap: only what would be charged (a job fetching what FAL made is claimed anyway).
  const use = counts.queuedFalToSend > 0 ? facts.capUse() : null;
  if (use !== null && use.spent + use.pending.usd >= use.cap) {
    // Reached only once it is spent: until the jobs already started are sent, they are what uses it up.
    if (use.spent < use.cap && use.pending.jobs > 0) {
      const started = use.pending.jobs === 1 ? '1 job already started uses' : `${use.pending.jobs} jobs already started use`;
      return {
        status: 'spending_cap',
        message: `${started} up the rest of this month's spending cap and will still run; the other FAL jobs wait until it is raised.`,
        ...base,
        resumesAt: null,
        capStarting: use.pending.jobs,
      };
    }
    const uncertain =
      use.possible.jobs === 0
        ? ''
        : ` (counting ${use.possible.jobs === 1 ? 'a job' : `${use.possible.jobs} jobs`} FAL may have charged, until FAL's records settle ${use.possible.jobs === 1 ? 'it' : 'them'})`;
    return { status: 'spending_cap', message: `This month's spending cap is reached${uncertain}; FAL jobs wait until it is raised.`, ...base, resumesAt: null };
  }
  return { status: 'running', message: null, ...base, resumesAt: null };
}
