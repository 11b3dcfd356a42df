// FAL's storage answers the upload with the link the model will read the photo from. A link that
// names the FAL key (a hostile proxy, a broken gateway) was stored as it came - in the job, its
// inputs and its armed submit - so the key sat in the database in plain text; a missing link was
// sent to FAL as the model's input. Both are refused now, before anything is sent.
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { addOne, createHarness, inState, pngItem, TEST_KEY, waitForJob, type Harness } from '../core/engine/harness';
import { secretPiecesIn } from '../support/secret-pieces';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const answers = (fileUrl: string | undefined) => ({ upload_url: `${h!.fake.url}/upload/not-kept`, ...(fileUrl !== undefined && { file_url: fileUrl }) });
const keyLink = () => `https://v3.fal.media/files/photo.png?credential=${encodeURIComponent(TEST_KEY)}`;

describe.each([
  { what: 'a link that names the FAL key', fileUrl: keyLink, set: false },
  { what: 'a link that names the FAL key, for the second photo of a set', fileUrl: keyLink, set: true },
  { what: 'no link', fileUrl: () => undefined, set: false },
])('an upload answered with $what', ({ fileUrl, set }) => {
  it('sends nothing, fails the job saying what to check, and puts no piece of the key in the database', async () => {
    h = await createHarness();
    // A set's first photo uploads as usual; the rule answers its second.
    const rule = { op: 'initiate' as const, fault: { kind: 'http' as const, status: 200, body: answers(fileUrl()) } };
    h.fake.script(set ? { ...rule, when: (() => { let n = 0; return () => ++n === 2; })() } : rule);
    h.fake.script({ op: 'upload', when: (ctx) => ctx.targetUrl.includes('not-kept'), fault: { kind: 'http', status: 200, body: '' } });
    const id = set
      ? (await h.engine.addSet([{ item: await pngItem('front.png') }, { item: await pngItem('back.png') }], { endpoint: 'fal-ai/hyper3d/rodin' })).added[0]!.id
      : await addOne(h.engine);
    const job = await waitForJob(h.engine, id, inState('succeeded', 'failed', 'needs_attention'));
    const db = new Database(join(h.dataDir, 'image2model.db'), { readonly: true });
    try {
      const rows = ['jobs', 'job_inputs', 'job_events'].map((table) => JSON.stringify(db.prepare(`SELECT * FROM ${table}`).all()));
      expect(secretPiecesIn(TEST_KEY, rows.join('\n'))).toEqual([]);
    } finally {
      db.close();
    }
    expect(h.fake.submissions).toHaveLength(0);
    expect(job.state).toBe('failed');
    expect(job.errorMessage).toContain('check it; then retry the job');
  });
});
