// Attack: with "resend what FAL never received" on, a reconcile pass resent a job from what it read at
// the pass's start. The pass reads FAL's history one model at a time; while it waited on one model's
// (the platform API can take seconds), a job of another model that FAL had proven never received was
// retried by the user (no question: that is safe) and its new send's answer was lost too - FAL has
// that one. The pass then took the job for the old, never-received send and sent it a third time:
// paid twice, never confirmed. A resend now happens only while the job still waits on the very send
// FAL's records ruled out.
import { expect, it } from 'vitest';
import { addOne, inState, waitForJob, type Harness } from '../core/engine/harness';
import { useReconcileFixture } from '../core/reconcile/fixture';

const fixture = useReconcileFixture();

const TRELLIS = 'fal-ai/trellis';

/** A job whose submit never reached FAL (the connection broke first), so it needs attention. */
async function neverReceived(h: Harness, endpoint?: string): Promise<string> {
  h.fake.script({ op: 'submit', fault: { kind: 'reset' } });
  const id = await addOne(h.engine, endpoint ? { endpoint } : {});
  await waitForJob(h.engine, id, inState('needs_attention'));
  return id;
}

it('a pass does not resend a job that was sent again (and may be charged) while the pass waited on another model', async () => {
  const h = await fixture.harness();
  // The TRELLIS job is first in the pass; its history read fails (pass 1) or waits for `release` (pass 2).
  const trellisJob = await neverReceived(h, TRELLIS);
  const job = await neverReceived(h);
  // Pass 2 holds the TRELLIS read until `release`; `held` resolves once it is held.
  let hold = false;
  let release = () => {};
  let held = () => {};
  const heldRead = new Promise<void>((resolve) => (held = resolve));
  const down = () => new Response('{"detail":"down"}', { status: 503, headers: { 'content-type': 'application/json' } });
  const platformFetch: typeof fetch = async (input, init) => {
    const target = `${input instanceof Request ? input.url : String(input)} ${new Headers(init?.headers).get('x-fal-target-url') ?? ''}`;
    if (!target.includes(TRELLIS) && !target.includes(encodeURIComponent(TRELLIS))) return fetch(input, init);
    if (hold) {
      await new Promise<void>((resolve) => {
        release = resolve;
        held();
      });
    }
    return down();
  };
  const config = { settleMs: 0, retryBaseMs: 100, retryMaxMs: 400, autoResubmit: false };
  const reconciler = fixture.reconciler(h, { platform: { fetch: platformFetch, retries: 0 }, config });

  // Pass 1: FAL's records show the job never arrived (the TRELLIS one cannot be checked yet).
  const first = await reconciler.runOnce({ force: true });
  expect(first.absent.map((a) => a.jobId)).toEqual([job]);
  expect(h.engine.getJob(job)).toMatchObject({ state: 'needs_attention', errorCode: 'submit_not_received' });
  expect(h.engine.getJob(trellisJob)).toMatchObject({ state: 'needs_attention' });

  // Pass 2, with resending on: it waits on the TRELLIS history...
  config.autoResubmit = true;
  hold = true;
  const second = reconciler.runOnce({ force: true });
  await heldRead;
  // ...while the user retries the job (safe: FAL never had it). This send reaches FAL, its answer is lost.
  h.fake.script({ op: 'submit', fault: { kind: 'reset', afterHandling: true } });
  await h.engine.retry(job, {});
  await waitForJob(h.engine, job, (j) => j.state === 'needs_attention' && j.errorCode === 'submit_uncertain');
  expect(h.fake.submissions).toHaveLength(1);

  release();
  const report = await second;
  // A resend would have put the job back in the queue within the pass (then sent it again at once).
  expect(report.resubmitted).toEqual([]);
  expect(h.engine.getJob(job)).toMatchObject({ state: 'needs_attention', errorCode: 'submit_uncertain' });
  expect(h.fake.submissions).toHaveLength(1);
});
