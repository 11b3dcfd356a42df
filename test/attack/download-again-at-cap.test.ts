// The spending cap holds back what would be paid for, not what is already paid: a job whose model FAL
// made and that failed to download ("Download again (free)"), or one resuming a request FAL has, is
// fetched while the cap is reached. It used to sit queued ("FAL jobs wait until the cap is raised").
import { afterEach, expect, it } from 'vitest';
import { addOne, createHarness, inState, waitForJob, type Harness } from '../core/engine/harness';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

it('Download again (free) runs while this month\'s spending cap is reached', async () => {
  // $0.30 a job: the first one reaches the cap.
  h = await createHarness({ engine: { getSpendingCapUsd: () => 0.3 } });
  let cdnDown = true;
  h.fake.script({ op: 'file', times: Infinity, when: (ctx) => cdnDown && ctx.targetUrl.includes('.glb'), fault: { kind: 'infra', status: 503 } });
  const id = await addOne(h.engine, { endpoint: 'tripo3d/tripo/v2.5/image-to-3d' });
  const failed = await waitForJob(h.engine, id, inState('succeeded', 'failed', 'needs_attention', 'canceled'), 30_000);
  expect(failed).toMatchObject({ state: 'failed', errorCode: 'result_download_failed' });

  cdnDown = false;
  await h.engine.retry(id, { mode: 'download' });
  const done = await waitForJob(h.engine, id, inState('succeeded', 'failed', 'needs_attention', 'canceled'), 20_000);
  expect(done.state).toBe('succeeded');
  expect(h.fake.submissions).toHaveLength(1);
}, 60_000);
