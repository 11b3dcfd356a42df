// Reconciliation against the fake FAL's request history, with the real engine making the
// uncertain submits: received ones are adopted (one submission per input), never-received ones are
// declared safe only after the settle time, and every degraded case keeps the job waiting with its
// reason, then settles by itself once FAL can be asked - without a second submission anywhere.
//
// Nothing here depends on how fast the machine is: the settle time is crossed on the reconciler's own
// clock, FAL's listing delay is switched off and on, and every wait and timeout is long enough for a
// machine starved of CPU (they end as soon as the job gets there). No assertion is about durations.
import { describe, expect, it, vi } from 'vitest';
import type { ReconcileConfig, Reconciler } from '../../../src/core/reconcile/reconciler';
import type { Job } from '../../../src/shared/domain';
import { addOne, createHarness, inState, waitForJob as waitForJobWithin, type Harness } from '../engine/harness';
import { useReconcileFixture } from './fixture';

const fixture = useReconcileFixture();
// A loaded machine (two cores shared with builds and other suites) can stall this process for seconds.
vi.setConfig({ testTimeout: 120_000 });
const SLOW_MACHINE_WAIT_MS = 90_000;
const waitForJob = (engine: Harness['engine'], id: string, predicate: (job: Job) => boolean) => waitForJobWithin(engine, id, predicate, SLOW_MACHINE_WAIT_MS);

/** The engine's timeouts and lease, long enough that a stalled process does not turn slowness into faults. */
const harness = (opts: Parameters<typeof createHarness>[0] = {}) =>
  fixture.harness({
    ...opts,
    engine: { ...opts.engine, timing: { leaseMs: 60_000, heartbeatMs: 5_000, requestTimeoutMs: 60_000, downloadTimeoutMs: 60_000, followTimeoutMs: 120_000 } },
  });

function reconcilerFor(harness: Harness, config: Partial<ReconcileConfig> = {}, proxyUrl: string = harness.fake.url, clock?: () => number): Reconciler {
  return fixture.reconciler(harness, {
    platform: { proxyUrl, retries: 1, baseDelayMs: 1, timeoutMs: 60_000 },
    config: { retryBaseMs: 100, retryMaxMs: 400, ...config },
    clock,
  });
}

/** A job whose submit reached FAL (queued there) but whose answer was lost. */
async function receivedButUnanswered(harness: Harness, fault: 'reset' | '5xx' = 'reset'): Promise<string> {
  harness.fake.script({ op: 'submit', fault: fault === 'reset' ? { kind: 'reset', afterHandling: true } : { kind: 'infra', status: 500, afterHandling: true } });
  const id = await addOne(harness.engine);
  await waitForJob(harness.engine, id, inState('needs_attention'));
  return id;
}

/** A job whose submit never reached FAL, but whose sender cannot know that. */
async function neverReceived(harness: Harness): Promise<string> {
  harness.fake.script({ op: 'submit', fault: { kind: 'reset' } });
  const id = await addOne(harness.engine);
  await waitForJob(harness.engine, id, inState('needs_attention'));
  return id;
}

describe('reconciliation', () => {
  it('adopts a submission FAL received whose answer was lost, and the job finishes without a second submit', async () => {
    const h = await harness();
    const id = await receivedButUnanswered(h);
    expect(h.fake.submissions).toHaveLength(1);
    const report = await reconcilerFor(h).runOnce();
    expect(report.adopted).toEqual([{ jobId: id, requestId: h.fake.submissions[0]!.requestId }]);
    const job = await waitForJob(h.engine, id, inState('succeeded'));
    expect(job.falRequestId).toBe(h.fake.submissions[0]!.requestId);
    expect(h.fake.submissions).toHaveLength(1);
    expect(h.engine.jobEvents(id).map((e) => e.message)).toContainEqual(expect.stringMatching(/FAL had received this job/));
  });

  it('declares a submission FAL never received safe only after the settle time, with the evidence', async () => {
    const h = await harness();
    const id = await neverReceived(h);
    expect(h.fake.submissions).toHaveLength(0);
    // The reconciler's clock: the settle time (10 min) counts from the latest the submit can have left,
    // at the latest now; checked 9 min on it is still settling, 10 min on it is due and decisive.
    const sentBy = Date.now();
    let clock = sentBy + 9 * 60_000;
    const r = reconcilerFor(h, { settleMs: 10 * 60_000 }, h.fake.url, () => clock);
    const early = await r.runOnce({ force: true });
    expect(early.absent).toEqual([]);
    expect(early.waiting).toEqual([{ jobId: id, reason: 'settling', nextCheckAt: expect.any(Number) }]);
    expect(early.waiting[0]!.nextCheckAt).toBeLessThanOrEqual(sentBy + 10 * 60_000);
    expect(h.engine.getJob(id)).toMatchObject({ state: 'needs_attention', errorCode: 'submit_uncertain' });
    clock = sentBy + 10 * 60_000;
    const late = await r.runOnce();
    expect(late.absent.map((a) => a.jobId)).toEqual([id]);
    const job = h.engine.getJob(id)!;
    expect(job).toMatchObject({ state: 'needs_attention', errorCode: 'submit_not_received' });
    expect(job.errorMessage).toMatch(/^FAL has no record of this submission \(checked at [^)]*\d{4}[^)]*, at least \d+ min after it was sent\)/);
    expect(h.fake.submissions).toHaveLength(0);    // Proven safe: retrying needs no "may be charged twice" confirmation, and runs once.
    await h.engine.retry(id, {});
    await waitForJob(h.engine, id, inState('succeeded'));
    expect(h.fake.submissions).toHaveLength(1);
  });

  it('resubmits by itself once FAL has no record, when the setting allows it (one submission in all)', async () => {
    const h = await harness();
    const id = await neverReceived(h);
    const r = reconcilerFor(h, { settleMs: 0, autoResubmit: true });
    const report = await r.runOnce();
    expect(report.resubmitted).toEqual([id]);
    await waitForJob(h.engine, id, inState('succeeded'));
    expect(h.fake.submissions).toHaveLength(1);
  });

  it('adopts a submit that was queued but answered with a 5xx', async () => {
    const h = await harness();
    const id = await receivedButUnanswered(h, '5xx');
    expect(h.engine.getJob(id)).toMatchObject({ state: 'needs_attention' });
    await reconcilerFor(h).runOnce();
    await waitForJob(h.engine, id, inState('succeeded'));
    expect(h.fake.submissions).toHaveLength(1);
  });
});

describe('degraded cases end in their documented state and settle by themselves later', () => {
  const cases = [
    { name: 'no permission', reason: 'no_permission', text: /may not read the request history/, set: { denyRequestHistory: true }, clear: { denyRequestHistory: false } },
    { name: 'payloads not stored', reason: 'no_payloads', text: /payload storage is off/, set: { storePayloads: false }, clear: { storePayloads: true } },
    { name: 'platform API down', reason: 'platform_down', text: /not answering properly/, set: { down: 503 as const }, clear: { down: false as const } },
  ] as const;

  for (const c of cases) {
    it(`${c.name}: stays needs_attention with that reason, then adopts once FAL can answer`, async () => {
      const h = await harness();
      h.fake.setPlatform(c.set);
      const id = await receivedButUnanswered(h);
      const r = reconcilerFor(h, { settleMs: 0 });
      const report = await r.runOnce();
      expect(report.waiting).toEqual([{ jobId: id, reason: c.reason, nextCheckAt: expect.any(Number) }]);
      const job = h.engine.getJob(id)!;
      expect(job).toMatchObject({ state: 'needs_attention', errorCode: 'submit_uncertain' });
      expect(job.errorMessage).toMatch(c.text);
      expect(job.errorMessage).toMatch(/checks again by itself at/);
      h.fake.setPlatform(c.clear);
      r.start(50);
      await waitForJob(h.engine, id, inState('succeeded'));
      expect(h.fake.submissions).toHaveLength(1);
    });
  }

  it('offline: waits with that reason (never "absent"), even past the settle time', async () => {
    const h = await harness();
    const id = await receivedButUnanswered(h);
    const report = await reconcilerFor(h, { settleMs: 0 }, 'http://127.0.0.1:9').runOnce();
    expect(report.waiting.map((w) => w.reason)).toEqual(['offline']);
    expect(h.engine.getJob(id)).toMatchObject({ state: 'needs_attention', errorCode: 'submit_uncertain' });
    expect(h.fake.submissions).toHaveLength(1);
  });

  it('listing delay: a received submit is not declared absent while FAL has not listed it yet', async () => {
    // FAL received it and does not list it yet, however long the steps below take.
    const h = await harness({ fake: { platform: { listingDelayMs: 3_600_000 } } });
    const id = await receivedButUnanswered(h);
    const r = reconcilerFor(h, { settleMs: 5 * 60_000 });
    const first = await r.runOnce();
    expect(first.waiting.map((w) => w.reason)).toEqual(['settling']);
    const again = await r.runOnce({ force: true });
    expect(again.waiting.map((w) => w.reason)).toEqual(['settling']);
    expect(h.engine.getJob(id)).toMatchObject({ state: 'needs_attention', falRequestId: null });
    // Now FAL lists it: it is adopted and finishes.
    h.fake.setPlatform({ listingDelayMs: 0 });
    r.start(50);
    await waitForJob(h.engine, id, inState('succeeded'));
    expect(h.fake.submissions).toHaveLength(1);
  });
});
