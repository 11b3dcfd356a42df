// A queued job's place counts only the jobs that can start: while FAL work is held, FAL jobs say what
// they wait for, and the offline jobs behind them move up.
import { describe, expect, it } from 'vitest';
import type { Job, QueueState } from '../../src/shared/domain';
import { jobDetail } from '../../src/renderer/src/features/queue/job-text';
import { falHoldReason, waitPlaces } from '../../src/renderer/src/features/queue/wait-place';

const job = (id: string, endpoint: string, state: Job['state'] = 'queued') => ({ id, endpoint, state }) as Job;
const isFal = (j: Job) => j.endpoint !== 'offline/relief';
const queue = (status: QueueState['status']): QueueState => ({ status, message: null, running: 0, queued: 3, resumesAt: null });
const jobs = [job('a', 'fal-ai/trellis'), job('b', 'offline/relief'), job('c', 'fal-ai/trellis'), job('d', 'offline/relief'), job('e', 'offline/relief', 'running')];

describe('wait places', () => {
  it('numbers every queued job in run order while FAL work can start', () => {
    expect(falHoldReason(queue('running'))).toBeNull();
    expect(falHoldReason(null)).toBeNull();
    expect(Object.fromEntries(waitPlaces(jobs, isFal, null))).toEqual({ a: '1st in line', b: '2nd in line', c: '3rd in line', d: '4th in line' });
  });

  it('without a key, FAL jobs wait for one and only the offline jobs have places', () => {
    const hold = falHoldReason(queue('no_key'));
    expect(hold).toBe('Waiting for a FAL key');
    expect(Object.fromEntries(waitPlaces(jobs, isFal, hold))).toEqual({
      a: 'Waiting for a FAL key',
      b: '1st in line',
      c: 'Waiting for a FAL key',
      d: '2nd in line',
    });
  });

  it('names what FAL jobs wait for in every state that holds FAL work', () => {
    expect(falHoldReason(queue('key_rejected'))).toBe('Waiting for a working FAL key');
    expect(falHoldReason(queue('balance_used_up'))).toBe('Waiting for your FAL balance to be topped up');
    expect(falHoldReason(queue('offline'))).toBe('Waiting for the connection to FAL');
    expect(falHoldReason(queue('spending_cap'))).toMatch(/spending cap/);
    expect(falHoldReason(queue('disk_error'))).toBe('Waiting for a restart (the disk reported an error)');
  });
});

it('at the spending cap, a job fetching what FAL already made (Download again) has its place; a new one waits for the cap', () => {
  const hold = falHoldReason(queue('spending_cap'));
  const again = { ...job('r', 'fal-ai/trellis'), falRequestId: 'req-1' } as Job;
  const fresh = { ...job('n', 'fal-ai/trellis'), falRequestId: null } as Job;
  expect(Object.fromEntries(waitPlaces([fresh, again, job('o', 'offline/relief')], isFal, hold))).toEqual({
    n: 'Waiting until the spending cap allows it',
    r: '1st in line',
    o: '2nd in line',
  });
});

it('after a disk error, a job FAL already has (a request id) has its place; one not sent waits for the restart', () => {
  const hold = falHoldReason(queue('disk_error'));
  const sent = { ...job('s', 'fal-ai/trellis'), falRequestId: 'req-1' } as Job;
  const unsent = { ...job('u', 'fal-ai/trellis'), falRequestId: null } as Job;
  expect(Object.fromEntries(waitPlaces([unsent, sent, job('o', 'offline/relief')], isFal, hold))).toEqual({
    u: 'Waiting for a restart (the disk reported an error)',
    s: '1st in line',
    o: '2nd in line',
  });
});

it('without a (working) key, a Download again fetching from its kept model link has its place; a job that needs FAL waits for the key', () => {
  const viaLink = { ...job('k', 'fal-ai/trellis'), falRequestId: 'req-1', keptLink: true } as Job;
  const fresh = { ...job('n', 'fal-ai/trellis'), falRequestId: null } as Job;
  const followsFal = { ...job('f', 'fal-ai/trellis'), falRequestId: 'req-2' } as Job;
  for (const [status, hold] of [
    ['no_key', 'Waiting for a FAL key'],
    ['key_rejected', 'Waiting for a working FAL key'],
    ['balance_used_up', 'Waiting for your FAL balance to be topped up'],
  ] as const) {
    expect(Object.fromEntries(waitPlaces([fresh, viaLink, followsFal, job('o', 'offline/relief')], isFal, falHoldReason(queue(status)), status !== 'no_key'))).toEqual({
      n: hold,
      k: '1st in line',
      f: hold,
      o: '2nd in line',
    });
  }
  // Offline: the link is out of reach too.
  expect(waitPlaces([viaLink], isFal, falHoldReason(queue('offline'))).get('k')).toBe('Waiting for the connection to FAL');
});

describe('a Download again whose kept model link failed, with no key', () => {
  const KEPT = "Waiting for a FAL key: the model's kept link did not work, so FAL must be asked for it again";
  const kept = { ...job('k', 'fal-ai/trellis'), message: KEPT } as Job;
  const waiting = [kept, job('b', 'offline/relief'), job('c', 'fal-ai/trellis')];

  it('waits for a key, not "1st in line", even before the queue says no_key', () => {
    // No queue state yet (or one that does not count it): the job's own word, with no key set, holds.
    expect(Object.fromEntries(waitPlaces(waiting, isFal, null, false))).toEqual({ k: 'Waiting for a FAL key', b: '1st in line', c: '2nd in line' });
    // With a key the message is stale: FAL is asked for a fresh link, the job has its place.
    expect(waitPlaces(waiting, isFal, null, true).get('k')).toBe('1st in line');
  });

  it('its row says why it waits for a key', () => {
    const place = waitPlaces(waiting, isFal, falHoldReason(queue('no_key')), false).get('k')!;
    expect(jobDetail(kept, place)).toBe(KEPT);
    // A plain waiting note still adds nothing to the place.
    expect(jobDetail({ ...kept, message: 'Waiting for a FAL key' } as Job, place)).toBe('Waiting for a FAL key');
    expect(jobDetail({ ...kept, message: 'Waiting to be sent to FAL' } as Job, '2nd in line')).toBe('2nd in line');
  });
});

// FAL's queue_position counts from 0: a job FAL answers IN_QUEUE with position 0 is first in its queue,
// waiting - the row said "Starting at FAL" (the core's message), and position 1 "1st in FAL's queue".
it('a job in FAL’s queue shows its place counted from FAL’s 0-based queue_position', () => {
  const sent = (queuePosition: number | null, message: string | null = null) => ({ ...job('s', 'fal-ai/trellis', 'submitted'), queuePosition, message }) as Job;
  expect(jobDetail(sent(0, 'First in FAL’s queue'), null)).toBe('1st in FAL’s queue');
  expect(jobDetail(sent(2, 'In FAL’s queue, 2 ahead'), null)).toBe('3rd in FAL’s queue');
  expect(jobDetail(sent(null), null)).toBe('Waiting for FAL to start');
});
