// FAL's request history is asked for the time around the send, as this computer's clock read it, give
// or take 5 minutes. A computer whose clock is off by more (hours after a dual-boot, a VM resumed, a
// dead clock battery) asked for the wrong hours: the send FAL had received and runs was not listed,
// and the job was called "never received - safe to send again" (or sent again by itself): paid twice.
import { expect, it } from 'vitest';
import { addOne, inState, waitForJob } from '../core/engine/harness';
import { useReconcileFixture } from '../core/reconcile/fixture';

const fixture = useReconcileFixture();

it.each([
  { clock: 'two hours behind FAL', offsetMs: -2 * 3600_000 },
  { clock: 'two hours ahead of FAL', offsetMs: 2 * 3600_000 },
])('a send FAL received is found when the computer clock is $clock', async ({ offsetMs }) => {
  const clock = () => Date.now() + offsetMs;
  const h = await fixture.harness({ engine: { now: clock } });
  // FAL takes the submit; its answer is lost on the way back.
  h.fake.script({ op: 'submit', fault: { kind: 'reset', afterHandling: true } });
  const id = await addOne(h.engine);
  await waitForJob(h.engine, id, (job) => job.state === 'needs_attention' && job.errorCode === 'submit_uncertain');
  expect(h.fake.submissions).toHaveLength(1);

  const reconciler = fixture.reconciler(h, { clock, config: { settleMs: 0, autoResubmit: true } });
  const report = await reconciler.runOnce({ force: true });
  expect(report.absent).toEqual([]);
  expect(report.resubmitted).toEqual([]);
  expect(report.adopted.map((a) => a.requestId)).toEqual([h.fake.submissions[0]!.requestId]);
  await waitForJob(h.engine, id, inState('succeeded'));
  expect(h.fake.submissions).toHaveLength(1);
});

it('an answer whose Date header is far off (a proxy) hides no row the computer clock finds', async () => {
  const h = await fixture.harness();
  h.fake.script({ op: 'submit', fault: { kind: 'reset', afterHandling: true } });
  const id = await addOne(h.engine);
  await waitForJob(h.engine, id, (job) => job.state === 'needs_attention' && job.errorCode === 'submit_uncertain');
  const wrongDate: typeof fetch = async (input, init) => {
    const answer = await fetch(input, init);
    const headers = new Headers(answer.headers);
    headers.set('date', new Date('1990-01-01T00:00:00Z').toUTCString());
    return new Response(await answer.arrayBuffer(), { status: answer.status, headers });
  };
  const reconciler = fixture.reconciler(h, { platform: { fetch: wrongDate }, config: { settleMs: 0, autoResubmit: true } });
  const report = await reconciler.runOnce({ force: true });
  expect(report.absent).toEqual([]);
  expect(report.adopted.map((a) => a.requestId)).toEqual([h.fake.submissions[0]!.requestId]);
});
