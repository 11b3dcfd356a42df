// What a job waiting in FAL's queue says, the same at submit (store-fenced) and while followed
// (engine/follow-steps): FAL counts queue_position from 0 (FAL.md), so 0 is first in its queue, not
// "position 0", and n has n requests ahead. The job row words it the same way ("1st in FAL's queue").

export function falQueueMessage(position: number | null): string {
  if (position === null) return 'Waiting in FAL’s queue';
  return position === 0 ? 'First in FAL’s queue' : `In FAL’s queue, ${position} ahead`;
}

/**
 * FAL's queue_position as the place it names, or null (unknown): only a count is one. 1.5, a number
 * too large for JSON to keep (1e999 reads as Infinity) or a negative one was shown as it came, and a
 * job holding it made jobs:list fail for the whole queue (the contract wants an integer).
 */
export function falQueuePosition(value: unknown): number | null {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? value : null;
}
