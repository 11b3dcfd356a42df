import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../../src/core/db/open';
import { JobStore } from '../../../src/core/queue/store';
import { newJob } from '../../support/new-job';
import { TransitionError } from '../../../src/core/queue/transitions';
import { currentBoot } from '../../../src/core/util/boot';

let db: Db;
let store: JobStore;


const claim = (now = 2000, owner = 'w1', falAllowed = true) => store.claimNext({ owner, now, leaseMs: 10_000, falAllowed });

beforeEach(() => {
  db = openDatabase(':memory:');
  store = new JobStore(db);
});
afterEach(() => db.close());

describe('JobStore claim', () => {
  it('claims FIFO by creation, sets lease and a new fencing token, moves to preparing', () => {
    const [a, b] = store.insertMany([newJob({ createdAt: 1 }), newJob({ createdAt: 2 })]);
    const first = claim(5000)!;
    expect(first.id).toBe(a!.id);
    expect(first.state).toBe('preparing');
    expect(first.fence).toBe(1);
    expect(first.leaseOwner).toBe('w1');
    expect(first.leaseExpiresAt).toBe(15_000);
    expect(first.startedAt).toBe(5000);
    expect(claim(5000)!.id).toBe(b!.id);
    expect(claim(5000)).toBeNull();
  });

  it('keeps insertion order within the same created_at', () => {
    const jobs = store.insertMany(Array.from({ length: 5 }, () => newJob({ createdAt: 7 })));
    expect(Array.from({ length: 5 }, () => claim()!.id)).toEqual(jobs.map((j) => j.id));
  });


  it('respects next_attempt_at and reports it as the next wake-up', () => {
    const [job] = store.insertMany([newJob()]);
    const c = claim(1000)!;
    store.update(c.id, c.fence, { state: 'queued', nextAttemptAt: 9000, leaseOwner: null, leaseExpiresAt: null }, 1000);
    expect(claim(8999)).toBeNull();
    expect(store.nextWakeAt(8999)).toBe(9000);
    expect(claim(9000)!.id).toBe(job!.id);
  });

  it('does not claim FAL jobs while FAL is paused, but claims offline jobs and cancellations', () => {
    const [falJob, offlineJob, toCancel] = store.insertMany([
      newJob({ createdAt: 1 }),
      newJob({ createdAt: 2, provider: 'offline', endpoint: 'offline/relief' }),
      newJob({ createdAt: 3 }),
    ]);
    store.requestCancel(toCancel!.id);
    expect(claim(2000, 'w', false)!.id).toBe(toCancel!.id);
    expect(claim(2000, 'w', false)!.id).toBe(offlineJob!.id);
    expect(claim(2000, 'w', false)).toBeNull();
    expect(claim(2000, 'w', true)!.id).toBe(falJob!.id);
  });
});

describe('JobStore claim order with cancellations', () => {
  it('carries out a queued cancellation before older queued jobs, even while it waits out a back-off', () => {
    const [older, toCancel, newer] = store.insertMany([newJob({ createdAt: 1 }), newJob({ createdAt: 2 }), newJob({ createdAt: 3 })]);
    const c = claim(1000)!;
    expect(c.id).toBe(older!.id);
    store.update(c.id, c.fence, { state: 'queued', nextAttemptAt: 9000, leaseOwner: null, leaseExpiresAt: null }, 1000);
    const backedOff = claim(1000)!;
    expect(backedOff.id).toBe(toCancel!.id);
    store.update(backedOff.id, backedOff.fence, { state: 'queued', nextAttemptAt: 9000, leaseOwner: null, leaseExpiresAt: null }, 1000);
    store.requestCancel(toCancel!.id);
    expect(claim(2000)!.id).toBe(toCancel!.id);
    expect(claim(2000)!.id).toBe(newer!.id);
    expect(claim(2000)).toBeNull();
  });
});

describe('JobStore fencing and leases', () => {
  it("changes nothing for a worker whose fence is stale", () => {
    store.insertMany([newJob()]);
    const c = claim()!;
    // Recovery (or another worker) takes it over: the fence moves on.
    db.prepare('UPDATE jobs SET fence = fence + 1 WHERE id = ?').run(c.id);
    expect(store.update(c.id, c.fence, { progress: 50, message: 'stale' }, 3000)).toBeNull();
    expect(store.recordSubmission(c.id, c.fence, 'req-1', 0, 15, 3000)).toBeNull();
    expect(store.heartbeat(c.id, c.fence, 3000, 10_000).held).toBe(false);
    const row = store.get(c.id)!;
    expect(row.progress).toBe(0);
    expect(row.falRequestId).toBeNull();
    expect(row.message).not.toBe('stale');
  });

  it('heartbeat extends the lease and reports cancel requests', () => {
    store.insertMany([newJob()]);
    const c = claim(1000)!;
    expect(store.heartbeat(c.id, c.fence, 5000, 10_000)).toEqual({ held: true, cancelRequested: false });
    expect(store.get(c.id)!.leaseExpiresAt).toBe(15_000);
    store.requestCancel(c.id);
    expect(store.heartbeat(c.id, c.fence, 6000, 10_000)).toEqual({ held: true, cancelRequested: true });
  });

  it('progress only moves forward', () => {
    store.insertMany([newJob()]);
    const c = claim()!;
    store.update(c.id, c.fence, { progress: 40 }, 1);
    store.update(c.id, c.fence, { progress: 30 }, 2);
    expect(store.get(c.id)!.progress).toBe(40);
  });

  it('enforces the transition table and journals transitions', () => {
    store.insertMany([newJob()]);
    const c = claim()!;
    expect(() => store.update(c.id, c.fence, { state: 'succeeded' }, 1)).toThrow(TransitionError);
    store.update(c.id, c.fence, { state: 'canceled' }, 2, 'user asked');
    const events = store.events(c.id).map((e) => [e.kind, e.fromState, e.toState]);
    expect(events).toEqual([
      ['transition', null, 'queued'],
      ['transition', 'queued', 'preparing'],
      ['transition', 'preparing', 'canceled'],
    ]);
  });

  it('records a submission (request id, state, spend) in one step', () => {
    store.insertMany([newJob({ estimatedCostUsd: 0.4 })]);
    const c = claim()!;
    const row = store.recordSubmission(c.id, c.fence, 'req-9', 3, 15, 4000)!;
    expect(row.state).toBe('submitted');
    expect(row.falRequestId).toBe('req-9');
    expect(row.submittedAt).toBe(4000);
    expect(row.queuePosition).toBe(3);
    expect(store.spendBetween(0, 5000)).toBeCloseTo(0.4);
    // The synced commit does not leave the connection in FULL mode.
    expect(db.pragma('synchronous', { simple: true })).toBe(1);
  });

  it('commitWith rolls back its side effect when the fence is stale', () => {
    store.insertMany([newJob()]);
    const c = claim()!;
    db.prepare('UPDATE jobs SET fence = fence + 1 WHERE id = ?').run(c.id);
    const result = store.commitWith(c.id, c.fence, { message: 'x' }, 1, null, () => {
      db.prepare("INSERT INTO spend (job_id, at, usd) VALUES ('side', 1, 1)").run();
    });
    expect(result).toBeNull();
    expect(store.spendBetween(0, 10)).toBe(0);
  });
});

describe('JobStore recovery', () => {
  it('requeues orphans, keeping upload and request id, and fences the old worker off', () => {
    const [a] = store.insertMany([newJob()]);
    const c = claim(1000, 'dead-owner')!;
    store.update(c.id, c.fence, { inputUrl: 'https://cdn/x.png' }, 1000);
    store.recordSubmission(c.id, c.fence, 'req-1', 0, 15, 1000);
    const recovered = store.recoverOrphans(2000, (owner) => owner === 'dead-owner', 'ambiguous');
    expect(recovered.map((r) => [r.id, r.state])).toEqual([[a!.id, 'queued']]);
    const row = store.get(a!.id)!;
    expect(row.falRequestId).toBe('req-1');
    expect(row.inputUrl).toBe('https://cdn/x.png');
    expect(row.fence).toBeGreaterThan(c.fence);
    expect(store.update(c.id, c.fence, { message: 'late' }, 3000)).toBeNull();
  });

  it('marks a job with a submit intent but no request id as needs_attention', () => {
    store.insertMany([newJob()]);
    const c = claim(1000, 'dead')!;
    store.update(c.id, c.fence, { submitStartedAt: 1500 }, 1500);
    const [row] = store.recoverOrphans(2000, () => true, 'may or may not have been accepted');
    expect(row!.state).toBe('needs_attention');
    expect(row!.errorCode).toBe('submit_interrupted');
    expect(row!.errorMessage).toBe('may or may not have been accepted');
  });

  describe('an intent armed but not marked sent (engine/fal-steps.ts)', () => {
    const armed = (boot: string) => {
      const [job] = store.insertMany([newJob()]);
      const c = claim(1000, 'dead')!;
      store.update(c.id, c.fence, { inputUrl: 'https://cdn/x.png', submitInputJson: '{"image_url":"https://cdn/x.png"}', submitArmedAt: 1200, submitArmedBoot: boot }, 1200);
      return job!.id;
    };

    it('in this boot: nothing was sent (the mark would have survived the crash), so it is queued again with the intent dropped', () => {
      const id = armed(currentBoot());
      const [row] = store.recoverOrphans(2000, () => true, 'may or may not have been accepted');
      expect(row!.state).toBe('queued');
      expect(row!.errorCode).toBeNull();
      expect(store.get(id)).toMatchObject({ submitStartedAt: null, submitInputJson: null, submitArmedAt: null, submitArmedBoot: null, inputUrl: 'https://cdn/x.png' });
    });

    it('armed before the machine restarted: the unsynced mark may be lost, so it may have been sent - needs_attention, searched for from the arm time', () => {
      const id = armed('id:an-earlier-boot');
      const [row] = store.recoverOrphans(2000, () => true, 'may or may not have been accepted');
      expect(row!.state).toBe('needs_attention');
      expect(row!.errorCode).toBe('submit_interrupted');
      expect(store.get(id)).toMatchObject({ submitStartedAt: 1200, submitInputJson: '{"image_url":"https://cdn/x.png"}' });
    });

    it('a stale arm on a queued job (a write failed between arm and send) goes when the job is claimed again', () => {
      const [job] = store.insertMany([newJob()]);
      const c = claim(1000, 'w1')!;
      store.update(c.id, c.fence, { submitInputJson: '{}', submitArmedAt: 1200, submitArmedBoot: 'id:an-earlier-boot', state: 'queued', leaseOwner: null, leaseExpiresAt: null }, 1200);
      const again = claim(1300, 'w2')!;
      expect(again.id).toBe(job!.id);
      expect(again).toMatchObject({ submitArmedAt: null, submitArmedBoot: null });
      // The claim's worker dies before it arms anew, and the machine restarts: not "may have been sent".
      const [row] = store.recoverOrphans(2000, () => true, 'x');
      expect(row!.state).toBe('queued');
    });

    it('marked sent: needs_attention whatever the boot', () => {
      const id = armed(currentBoot());
      const c = store.get(id)!;
      store.update(id, c.fence, { submitStartedAt: 1300 }, 1300);
      const [row] = store.recoverOrphans(2000, () => true, 'x');
      expect(row!.state).toBe('needs_attention');
      expect(store.get(id)!.submitStartedAt).toBe(1300);
    });
  });

  it('leaves live leases alone and takes expired ones', () => {
    store.insertMany([newJob()]);
    const c = claim(1000, 'alive')!;
    expect(store.recoverOrphans(5000, () => false, 'x')).toEqual([]);
    expect(store.recoverOrphans(c.leaseExpiresAt!, () => false, 'x')).toHaveLength(1);
  });
});

describe("JobStore: FAL's answer after the worker lost the job (store-late-submit.ts)", () => {
  /** A job marked sent at 1500 whose lease ran out: recovery set it aside, needs_attention. */
  const setAside = () => {
    store.insertMany([newJob({ estimatedCostUsd: 0.4 })]);
    const c = claim(1000, 'asleep')!;
    store.update(c.id, c.fence, { submitStartedAt: 1500, submitInputJson: '{}' }, 1500);
    expect(store.recoverOrphans(20_000, () => false, 'x').map((row) => row.state)).toEqual(['needs_attention']);
    expect(store.recordSubmission(c.id, c.fence, 'req-late', null, 15, 21_000)).toBeNull(); // the worker's fence is stale
    return c;
  };

  it('stores the id of the same send: back in the queue to be followed, fenced anew, one spend row', () => {
    const c = setAside();
    const row = store.recordLateSubmission(c.id, { sentAt: 1500, requestId: 'req-late', at: 21_000 })!;
    expect(row).toMatchObject({ state: 'queued', falRequestId: 'req-late', submittedAt: 21_000, errorCode: null, errorMessage: null, leaseOwner: null });
    expect(row.fence).toBeGreaterThan(c.fence + 1);
    expect(store.spendBetween(0, 30_000)).toBeCloseTo(0.4);
    // The stale worker still cannot write anything else.
    expect(store.update(c.id, c.fence, { message: 'stale' }, 21_001)).toBeNull();
  });

  it('never overwrites: another send, an id adopted meanwhile, or an id another job holds', () => {
    const c = setAside();
    expect(store.recordLateSubmission(c.id, { sentAt: 1499, requestId: 'req-late', at: 21_000 })).toBeNull();
    store.insertMany([newJob()]);
    const other = claim(22_000, 'w2')!;
    store.recordSubmission(other.id, other.fence, 'req-other', null, 15, 22_000);
    expect(store.recordLateSubmission(c.id, { sentAt: 1500, requestId: 'req-other', at: 22_000 })).toBeNull();
    db.prepare("UPDATE jobs SET fal_request_id = 'req-adopted' WHERE id = ?").run(c.id);
    expect(store.recordLateSubmission(c.id, { sentAt: 1500, requestId: 'req-late', at: 23_000 })).toBeNull();
    expect(store.get(c.id)).toMatchObject({ state: 'needs_attention', falRequestId: 'req-adopted' });
    // The other job's, and the earlier send's request no job holds (FAL charges it): once, however often reported.
    expect(store.spendBetween(0, 30_000)).toBeCloseTo(0.7);
    expect(store.events(c.id).filter((e) => /req-late.*moved on/.test(e.message ?? ''))).toHaveLength(2);
  });
});

describe('JobStore user actions', () => {
  it('cancels a queued job at once, but not one that FAL already has', () => {
    const [plain, sent] = store.insertMany([newJob(), newJob()]);
    expect(store.cancelQueued(plain!.id, 5, 'Canceled')!.state).toBe('canceled');
    const c = store.claimNext({ owner: 'w', now: 1, leaseMs: 100, falAllowed: true })!;
    store.recordSubmission(c.id, c.fence, 'req', 0, 15, 2);
    store.update(c.id, c.fence, { state: 'queued' }, 3);
    expect(store.cancelQueued(sent!.id, 5, 'Canceled')).toBeNull();
    expect(store.requestCancel(sent!.id)!.cancelRequested).toBe(true);
  });

  it('requeues failed jobs, resubmitting or following the stored request as asked', () => {
    store.insertMany([newJob()]);
    const c = claim()!;
    store.update(c.id, c.fence, { inputUrl: 'https://cdn/in.png' }, 1);
    store.recordSubmission(c.id, c.fence, 'req-1', 0, 15, 2);
    store.update(c.id, c.fence, { state: 'running' }, 3);
    store.update(c.id, c.fence, { state: 'failed', attempts: 5, errorCode: 'server_error', errorMessage: 'boom' }, 4);
    const follow = store.requeue(c.id, 5, { resubmit: false, message: 'again' })!;
    expect(follow.state).toBe('queued');
    expect(follow.falRequestId).toBe('req-1');
    expect(follow.attempts).toBe(0);
    expect(follow.errorCode).toBeNull();
    const c2 = claim(6)!;
    store.update(c2.id, c2.fence, { state: 'failed' }, 7);
    const fresh = store.requeue(c2.id, 8, { resubmit: true, message: 'again' })!;
    expect(fresh.falRequestId).toBeNull();
    expect(fresh.inputUrl).toBe('https://cdn/in.png');
  });

  it('does not requeue running or succeeded jobs', () => {
    store.insertMany([newJob()]);
    const c = claim()!;
    expect(store.requeue(c.id, 1, { resubmit: true, message: '' })).toBeNull();
  });

  it('removes only terminal jobs; clearFinished keeps failed and needs_attention', () => {
    const [a, b, c] = store.insertMany([newJob({ createdAt: 1 }), newJob({ createdAt: 2 }), newJob({ createdAt: 3 })]);
    expect(store.remove(a!.id)).toBe(false);
    store.cancelQueued(a!.id, 1, 'x');
    const cb = claim()!;
    expect(cb.id).toBe(b!.id);
    store.update(cb.id, cb.fence, { state: 'failed' }, 1);
    expect(store.clearFinished()).toEqual([a!.id]);
    expect(store.remove(b!.id)).toBe(true);
    expect(store.get(c!.id)).not.toBeNull();
  });

  it('counts queued and active jobs', () => {
    store.insertMany([newJob(), newJob(), newJob({ provider: 'offline' })]);
    claim();
    expect(store.counts()).toEqual({ queued: 2, active: 1, queuedFalToSend: 1, queuedNeedingKey: 1 });
  });
});
