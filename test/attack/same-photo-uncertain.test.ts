// Attack: a photo whose job's submit is uncertain (the connection broke after FAL received it; or the
// run was killed between sending and storing the request id) is added again - `convert` run again
// after the crash, the photo dropped again. The uncertain job is terminal (needs_attention), so the
// look for a job on its way missed it and a new job was made and submitted at once: FAL ran and
// charged the photo twice, while the uncertain job itself asks for confirmation before sending again
// (money rule: never failed-and-freely-retryable). It now joins the uncertain job (settled by
// reconciliation: adopted, or proven not received); --force makes a new one. A job proven not received
// is taken back and sent again (one charge): a new job beside it left it to be resent later - by the
// user, or by itself once resending was turned on - and the photo paid twice.
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { createHarness, inState, pngItem, waitForJob, type Harness } from '../core/engine/harness';

const TRIPO = { endpoint: 'tripo3d/tripo/v2.5/image-to-3d' };

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

it('the same photo added again while its submit is uncertain joins that job: FAL is sent (and charges) it once', async () => {
  h = await createHarness({ fake: { holdJobs: true } });
  const item = await pngItem('kettle.png');
  h.fake.script({ op: 'submit', fault: { kind: 'reset', afterHandling: true } });
  const first = await h.engine.addImages([item], TRIPO);
  const id = first.added[0]!.id;
  await waitForJob(h.engine, id, inState('needs_attention'));
  expect(h.engine.getJob(id)).toMatchObject({ errorCode: 'submit_uncertain', falRequestId: null });
  expect(h.fake.submissions).toHaveLength(1);

  const again = await h.engine.addImages([{ ...item, name: 'kettle again.png' }], TRIPO);
  expect(again.added.map((job) => job.id)).toEqual([id]);
  expect(again.joined).toEqual([{ input: 'kettle again.png', jobId: id, item: 0 }]);
  await h.engine.waitForIdle();
  expect(h.engine.listJobs()).toHaveLength(1);
  expect(h.fake.submissions).toHaveLength(1);

  // Asked for anyway: a new job.
  const forced = await h.engine.addImages([item], { ...TRIPO, force: true });
  expect(forced.added[0]!.id).not.toBe(id);
});

it('a job FAL is proven not to have received is taken back: the photo added again sends it again, no second job', async () => {
  h = await createHarness({ fake: { holdJobs: true } });
  const item = await pngItem('teapot.png');
  h.fake.script({ op: 'submit', fault: { kind: 'reset', afterHandling: false } });
  const id = (await h.engine.addImages([item], TRIPO)).added[0]!.id;
  await waitForJob(h.engine, id, inState('needs_attention'));
  // As reconciliation leaves it once FAL's history proves the submit never arrived.
  const db = new Database(join(h.dataDir, 'image2model.db'));
  db.prepare("UPDATE jobs SET error_code = 'submit_not_received' WHERE id = ?").run(id);
  db.close();
  const again = await h.engine.addImages([item], TRIPO);
  expect(again.added.map((job) => job.id)).toEqual([id]);
  expect(again.joined).toEqual([{ input: 'teapot.png', jobId: id, item: 0 }]);
  await waitForJob(h.engine, id, (job) => job.falRequestId !== null);
  expect(h.engine.listJobs()).toHaveLength(1);
  expect(h.fake.submissions).toHaveLength(1);
});
