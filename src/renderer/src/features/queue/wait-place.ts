// Where each waiting job stands. Places count only the jobs that can start now: while FAL work is held
// (no key, key refused, balance used up, offline, spending cap, a disk error) a FAL job is not "1st in line", it waits for that fix,
// and the offline jobs behind it really do run first (the core claims only those then).
import type { Job, QueueState } from '../../../../shared/domain';
import { ordinal } from '../../lib/format';

const NO_KEY_HOLD = 'Waiting for a FAL key';
const CAP_HOLD = 'Waiting until the spending cap allows it';
const KEY_REFUSED_HOLD = 'Waiting for a working FAL key';
const DISK_HOLD = 'Waiting for a restart (the disk reported an error)';
const BALANCE_HOLD = 'Waiting for your FAL balance to be topped up';

/** What FAL jobs wait for while the queue holds FAL work, or null when they can start. */
export function falHoldReason(queue: QueueState | null): string | null {
  switch (queue?.status) {
    case 'no_key':
      return NO_KEY_HOLD;
    case 'key_rejected':
      return KEY_REFUSED_HOLD;
    case 'balance_used_up':
      return BALANCE_HOLD;
    case 'offline':
      return 'Waiting for the connection to FAL';
    case 'spending_cap':
      return CAP_HOLD;
    case 'disk_error':
      return DISK_HOLD;
    default:
      return null;
  }
}

/**
 * The place text of every queued job in `jobs` (given in the order they run): "1st in line",
 * "2nd in line"... for the jobs that can start, `falHold` for FAL jobs while it is set. Without a key
 * (`keySet` false), a FAL job that says it waits for one (a Download again whose kept model link
 * failed: FAL must be asked for a fresh one) waits for it whatever the queue's state says - its
 * state (no_key) may not have come yet, or count that job.
 */
export function waitPlaces(jobs: readonly Job[], isFal: (job: Job) => boolean, falHold: string | null, keySet = true): Map<string, string> {
  const places = new Map<string, string>();
  let position = 0;
  for (const job of jobs) {
    if (job.state !== 'queued') continue;
    // The cap and a disk error hold only what would be sent: a job fetching what FAL made (a request id) runs.
    const sentFree = (falHold === CAP_HOLD || falHold === DISK_HOLD) && typeof job.falRequestId === 'string';
    // Without a (working) key, a job fetching its model from the kept link runs all the same.
    const keyFree = (falHold === NO_KEY_HOLD || falHold === KEY_REFUSED_HOLD || falHold === BALANCE_HOLD) && job.keptLink === true;
    const hold = sentFree || keyFree ? null : (falHold ?? (!keySet && job.message?.startsWith(NO_KEY_HOLD) ? NO_KEY_HOLD : null));
    places.set(job.id, hold !== null && isFal(job) ? hold : `${ordinal(++position)} in line`);
  }
  return places;
}
