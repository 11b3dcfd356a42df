// Where each waiting job stands. Places count only the jobs that can start now: while FAL work is held
// (no key, key refused, offline, spending cap) a FAL job is not "1st in line", it waits for that fix,
// and the offline jobs behind it really do run first (the core claims only those then).
import type { Job, QueueState } from '../../../../shared/domain';
import { ordinal } from '../../lib/format';

/** What FAL jobs wait for while the queue holds FAL work, or null when they can start. */
export function falHoldReason(queue: QueueState | null): string | null {
  switch (queue?.status) {
    case 'no_key':
      return 'Waiting for a FAL key';
    case 'key_rejected':
      return 'Waiting for a working FAL key';
    case 'offline':
      return 'Waiting for the connection to FAL';
    case 'spending_cap':
      return 'Waiting until the spending cap allows it';
    default:
      return null;
  }
}

/**
 * The place text of every queued job in `jobs` (given in the order they run): "1st in line",
 * "2nd in line"... for the jobs that can start, `falHold` for FAL jobs while it is set.
 */
export function waitPlaces(jobs: readonly Job[], isFal: (job: Job) => boolean, falHold: string | null): Map<string, string> {
  const places = new Map<string, string>();
  let position = 0;
  for (const job of jobs) {
    if (job.state !== 'queued') continue;
    places.set(job.id, falHold !== null && isFal(job) ? falHold : `${ordinal(++position)} in line`);
  }
  return places;
}
