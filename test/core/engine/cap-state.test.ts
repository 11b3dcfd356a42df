// The spending cap's state counts what was or may be charged: the month's spend, and FAL jobs that
// would be sent (queued, or claimed and not sent yet). A job that only fetches what FAL already made -
// Download again from its kept link, or a resumed request - costs nothing more: it is not held by the
// cap (the claim takes it, store-leases.ts), so the queue is not "held by the spending cap" for it.
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../../src/core/db/open';
import { createQueueHealth, type QueueHealth } from '../../../src/core/engine/queue-health';
import { JobStore, type JobRow } from '../../../src/core/queue/store';
import { CheckStore } from '../../../src/core/reconcile/checks';
import { NOT_RECEIVED_CODE } from '../../../src/core/reconcile/messages';
import { createSpendTracker } from '../../../src/core/spend/tracker';
import { newJob } from '../../support/new-job';
import { SILENT } from './harness';

let db: Db;
let store: JobStore;
let health: QueueHealth;
const NOW = Date.UTC(2026, 11, 3, 12);

const capJob = () => newJob({ inputPath: 'inputs/cat.png', inputSha256: randomUUID(), createdAt: NOW });

const claim = () => store.claimNext({ owner: 'w', now: NOW, leaseMs: 60_000, falAllowed: true, followAllowed: true })!;

beforeEach(() => {
  db = openDatabase(':memory:');
  store = new JobStore(db);
  health = createQueueHealth({
    store,
    safeKey: () => 'test-key-1234567890',
    proxyUrl: null,
    fetch: () => Promise.reject(new Error('no network in this test')),
    requestTimeoutMs: 1_000,
    probeIntervalMs: 1_000,
    now: () => NOW,
    getSpendingCapUsd: () => 0.3,
    logger: SILENT,
    emit: () => undefined,
    wake: () => undefined,
  });
});
afterEach(() => db.close());

/** A job FAL made and charged ($0.30: the cap) whose model did not download: it keeps FAL's request. */
function paidJobToFetchAgain(): string {
  const [job] = store.insertMany([capJob()]);
  const c = claim();
  store.recordSubmission(c.id, c.fence, `req-${job!.id}`, null, 15, NOW);
  store.update(c.id, c.fence, { state: 'failed', finishedAt: NOW, leaseOwner: null, leaseExpiresAt: null, errorCode: 'result_download_failed' }, NOW);
  // Download again: queued, following the request FAL has (no new submit).
  expect(store.requeue(job!.id, NOW, { resubmit: false, message: 'Downloading again' })).not.toBeNull();
  return job!.id;
}

it('Download again waiting in the queue at the cap: the queue runs, nothing is held', () => {
  paidJobToFetchAgain();
  expect(store.spendBetween(0, NOW + 1)).toBeCloseTo(0.3);
  expect(health.falAllowed()).toBe(false); // a new submit would be held
  expect(health.queueState()).toMatchObject({ status: 'running', message: null, queued: 1 });
  // Claimed and fetching: not "a job already started" that uses up the cap either.
  claim();
  expect(health.queueState()).toMatchObject({ status: 'running', running: 1 });
});

it('a job that would be sent is still held at the cap, beside a Download again', () => {
  paidJobToFetchAgain();
  store.insertMany([capJob()]);
  expect(health.queueState()).toMatchObject({ status: 'spending_cap', queued: 2 });
  expect(health.queueState().message).toMatch(/spending cap is reached/);
});

/**
 * A job whose submit left with its answer lost ($0.30, the cap): FAL may have received and charged
 * it, so it counts against the cap at its estimate until FAL's records settle it.
 */
function uncertainSend(): JobRow {
  const [job] = store.insertMany([capJob()]);
  const c = claim();
  store.update(c.id, c.fence, { submitStartedAt: NOW - 1_000 }, NOW - 1_000);
  const row = store.update(
    c.id,
    c.fence,
    { state: 'needs_attention', finishedAt: NOW, leaseOwner: null, leaseExpiresAt: null, errorCode: 'submit_uncertain', errorMessage: 'no answer', message: 'no answer' },
    NOW,
  );
  expect(row).toMatchObject({ id: job!.id, state: 'needs_attention', falRequestId: null, submitStartedAt: NOW - 1_000 });
  return row!;
}

it('a send FAL may have charged (answer lost) counts against the cap until it is settled, and is shown as possible', () => {
  const tracker = createSpendTracker({ db, billing: () => null, now: () => NOW });
  const job = uncertainSend();
  store.insertMany([capJob()]);
  // Nothing recorded as spent, but the lost send may cost $0.30: the cap holds new sends.
  expect(store.spendBetween(0, NOW + 1)).toBe(0);
  expect(health.falAllowed()).toBe(false);
  expect(health.queueState()).toMatchObject({ status: 'spending_cap', queued: 1 });
  expect(health.queueState().message).toMatch(/spending cap is reached \(counting a job FAL may have charged/);
  // The summaries say the same: not in the month's spend, shown apart, and the cap is reached.
  expect(tracker.summary(0.3)).toMatchObject({ monthUsd: 0, possibleUsd: 0.3, capReached: true });

  // Settled as received (reconciliation adopts FAL's request): counted once, as spend.
  const checks = new CheckStore(db, store);
  expect(checks.adopt(job, 'req-adopted', NOW, 'adopted')).not.toBeNull();
  expect(store.spendBetween(0, NOW + 1)).toBeCloseTo(0.3);
  expect(tracker.summary(0.6)).toMatchObject({ monthUsd: expect.closeTo(0.3, 6), possibleUsd: 0, capReached: false });
  expect(health.falAllowed()).toBe(false);
});

it('a send FAL never received (reconciliation\'s evidence) no longer counts against the cap', () => {
  const tracker = createSpendTracker({ db, billing: () => null, now: () => NOW });
  const job = uncertainSend();
  expect(health.falAllowed()).toBe(false);
  store.update(job.id, job.fence, { errorCode: NOT_RECEIVED_CODE }, NOW);
  expect(health.falAllowed()).toBe(true);
  expect(tracker.summary(0.3)).toMatchObject({ monthUsd: 0, possibleUsd: 0, capReached: false });
});

it('an uncertain send the user sent again anyway (Retry, confirmed) still counts against the cap until FAL settles it, then once', () => {
  const tracker = createSpendTracker({ db, billing: () => null, now: () => NOW });
  const job = uncertainSend();
  // Retry, confirmed: the job goes back to the queue for a new submit, and forgets the send it replaces.
  const requeued = store.requeue(job.id, NOW, { resubmit: true, message: 'Queued again' });
  expect(requeued).toMatchObject({ state: 'queued', submitStartedAt: null, falRequestId: null });
  // FAL may still have run and charged the first send: it counts, and the cap holds the resend.
  expect(tracker.summary(0.3)).toMatchObject({ monthUsd: 0, possibleUsd: 0.3, capReached: true });
  expect(health.falAllowed()).toBe(false);
  expect(health.queueState().message).toMatch(/counting a job FAL may have charged/);

  // FAL's answer to that first send comes after all: it is counted as spend, once, and no longer as possible.
  expect(store.recordLateSubmission(job.id, { sentAt: NOW - 1_000, requestId: 'req-first', at: NOW })).toBeNull();
  expect(store.spendBetween(0, NOW + 1)).toBeCloseTo(0.3);
  expect(tracker.summary(0.6)).toMatchObject({ monthUsd: expect.closeTo(0.3, 6), possibleUsd: 0, capReached: false });
  // The same answer again (another process): still once.
  expect(store.recordLateSubmission(job.id, { sentAt: NOW - 1_000, requestId: 'req-first', at: NOW })).toBeNull();
  expect(tracker.summary(0.6)).toMatchObject({ monthUsd: expect.closeTo(0.3, 6), possibleUsd: 0 });
});

it('a send FAL never received (settled before the Retry) is not kept: the resend alone counts', () => {
  const tracker = createSpendTracker({ db, billing: () => null, now: () => NOW });
  const job = uncertainSend();
  const settled = store.update(job.id, job.fence, { errorCode: NOT_RECEIVED_CODE }, NOW)!;
  expect(store.requeue(settled.id, NOW, { resubmit: true, message: 'Queued again' })).not.toBeNull();
  expect(tracker.summary(0.3)).toMatchObject({ monthUsd: 0, possibleUsd: 0, capReached: false });
});

/**
 * Removing such a job from the queue settles nothing: FAL may still have received - and charged - the
 * lost send. It is kept as a past send of the job (job_past_sends, as a confirmed Retry keeps it) and
 * keeps counting against the cap at its estimate; FAL's late answer to it still settles it.
 */
it('a send FAL may have charged still counts against the cap once its job is removed from the queue', () => {
  const tracker = createSpendTracker({ db, billing: () => null, now: () => NOW });
  const job = uncertainSend();
  store.insertMany([capJob()]);
  expect(health.falAllowed()).toBe(false);
  expect(store.remove(job.id)).toBe(true);
  expect(store.get(job.id)).toBeNull();
  // Removed from the queue, the lost send may still cost $0.30: the cap holds new sends.
  expect(health.falAllowed()).toBe(false);
  expect(health.queueState()).toMatchObject({ status: 'spending_cap', queued: 1 });
  expect(health.queueState().message).toMatch(/counting a job FAL may have charged/);
  expect(tracker.summary(0.3)).toMatchObject({ monthUsd: 0, possibleUsd: 0.3, capReached: true });

  // FAL's answer to that send comes after all: counted as spend, once, no longer as possible.
  expect(store.recordLateSubmission(job.id, { sentAt: NOW - 1_000, requestId: 'req-removed', at: NOW })).toBeNull();
  expect(tracker.summary(0.6)).toMatchObject({ monthUsd: expect.closeTo(0.3, 6), possibleUsd: 0, capReached: false });
});

it('a send FAL never received leaves nothing behind when its job is removed', () => {
  const tracker = createSpendTracker({ db, billing: () => null, now: () => NOW });
  const job = uncertainSend();
  store.update(job.id, job.fence, { errorCode: NOT_RECEIVED_CODE }, NOW);
  expect(store.remove(job.id)).toBe(true);
  expect(tracker.summary(0.3)).toMatchObject({ monthUsd: 0, possibleUsd: 0, capReached: false });
  expect(health.falAllowed()).toBe(true);
});
