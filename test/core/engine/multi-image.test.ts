// Multi-image jobs through the real @fal-ai/client against the fake FAL server: one job, each
// image uploaded once, one submission with the endpoint's own fields, a model whose source is the
// set; retries reuse the uploads; the same set is not paid for twice.
import { afterEach, describe, expect, it } from 'vitest';
import type { InputSetMember } from '../../../src/shared/contract';
import { createHarness, inState, pngItem, waitForJob, type Harness } from './harness';

const MULTIVIEW = 'tripo3d/tripo/v2.5/multiview-to-3d';
const RODIN = 'fal-ai/hyper3d/rodin';

let h: Harness;
afterEach(async () => h?.close());

async function viewSet(): Promise<InputSetMember[]> {
  return [
    { item: await pngItem('mug_front.png'), role: 'front' },
    { item: await pngItem('mug_left.png'), role: 'left' },
    { item: await pngItem('mug_back.png'), role: 'back' },
  ];
}

const submittedInput = (h: Harness, i = 0) => h.fake.submissions[i]!.input as Record<string, unknown>;

describe('multi-image jobs', () => {
  it('uploads each view once, submits once with the view fields, and keeps the set as the model source', async () => {
    h = await createHarness();
    const set = await viewSet();
    const result = await h.engine.addSet(set, { endpoint: MULTIVIEW, preset: 'draft' });
    expect(result.rejected).toEqual([]);
    expect(result.added).toHaveLength(1);
    const job = result.added[0]!;
    expect(job.inputName).toBe('mug');
    expect(job.inputs).toEqual([
      { position: 0, role: 'front', name: 'mug_front.png' },
      { position: 1, role: 'left', name: 'mug_left.png' },
      { position: 2, role: 'back', name: 'mug_back.png' },
    ]);
    await h.engine.waitForIdle();

    const done = h.engine.getJob(job.id)!;
    expect(done.state).toBe('succeeded');
    const uploads = h.fake.uploads();
    expect(uploads).toHaveLength(3);
    expect(h.fake.submissions).toHaveLength(1);
    const input = submittedInput(h);
    const urlOf = (i: number) => uploads.find((u) => u.sha256 === h.fake.submissions[0]!.uploadSha256s[i])!.url;
    expect(input).toMatchObject({ front_image_url: urlOf(0), left_image_url: urlOf(1), back_image_url: urlOf(2), texture: 'no' });
    expect(input).not.toHaveProperty('right_image_url');
    expect(input).not.toHaveProperty('image_url');
    expect(new Set(h.fake.submissions[0]!.uploadSha256s).size).toBe(3);

    const model = h.engine.library.get(done.modelId!)!;
    expect(model.name).toBe('mug');
    expect(model.sources).toEqual(job.inputs);
    expect(model.sourceName).toBe('mug_front.png, mug_left.png, mug_back.png');
    expect(h.engine.library.list({ query: 'mug_back', offset: 0, limit: 10 }).total).toBe(1);
    // Each image of the set is served for its thumbnail; the plain id gives the first.
    expect(h.engine.inputPath(`${job.id}_2`)).toMatch(/inputs/);
    expect(h.engine.inputPath(`${job.id}_2`)).not.toBe(h.engine.inputPath(`${job.id}_0`));
    expect(h.engine.inputPath(job.id)).toBe(h.engine.inputPath(`${job.id}_0`));
  });

  it('sends an ordered set as a list, in the order given', async () => {
    h = await createHarness();
    const items = [await pngItem('c.png'), await pngItem('a.png'), await pngItem('b.png')];
    const { added } = await h.engine.addSet(items.map((item) => ({ item })), { endpoint: RODIN });
    await waitForJob(h.engine, added[0]!.id, inState('succeeded'));
    const sent = submittedInput(h).input_image_urls as string[];
    expect(sent).toHaveLength(3);
    const shas = h.fake.uploads().map((u) => [u.url, u.sha256] as const);
    expect(sent.map((url) => shas.find(([u]) => u === url)![1])).toEqual(h.fake.submissions[0]!.uploadSha256s);
    expect(h.engine.getJob(added[0]!.id)!.inputs!.map((i) => i.name)).toEqual(['c.png', 'a.png', 'b.png']);
  });

  it('reuses every upload when a failed set is retried', async () => {
    h = await createHarness();
    h.fake.script({ op: 'submit', fault: { kind: 'validation', detail: [{ loc: ['body', 'front_image_url'], msg: 'Could not load image', type: 'file_download_error' }] } });
    const { added } = await h.engine.addSet(await viewSet(), { endpoint: MULTIVIEW });
    const id = added[0]!.id;
    await waitForJob(h.engine, id, inState('failed'));
    expect(h.fake.uploads()).toHaveLength(3);

    await h.engine.retry(id, {});
    await waitForJob(h.engine, id, inState('succeeded'));
    expect(h.fake.uploads()).toHaveLength(3);
    expect(h.fake.submissions).toHaveLength(1);
    const urls = h.fake.uploads().map((u) => u.url).sort();
    const input = submittedInput(h);
    expect([input.front_image_url, input.left_image_url, input.back_image_url].sort()).toEqual(urls);
  });

  it('keeps the uploads already made when a later upload of the set fails', async () => {
    h = await createHarness();
    // The second upload's PUT is cut off once; the job backs off and tries again by itself.
    h.fake.script({ op: 'upload', when: (ctx) => ctx.method === 'PUT' && h.fake.uploads().length === 1, fault: { kind: 'reset' } });
    const { added } = await h.engine.addSet(await viewSet(), { endpoint: MULTIVIEW });
    await waitForJob(h.engine, added[0]!.id, inState('succeeded'));
    expect(h.fake.requestsFor('upload').filter((r) => r.outcome === 'reset')).toHaveLength(1);
    expect(h.fake.uploads()).toHaveLength(3);
    expect(h.fake.requestsFor('initiate')).toHaveLength(4);
  });

  it('does not pay twice for the same set, but does for other views of the same images', async () => {
    h = await createHarness();
    const sameBytes = await viewSet();
    const first = await h.engine.addSet(sameBytes, { endpoint: MULTIVIEW });
    await h.engine.waitForIdle();
    const modelId = h.engine.getJob(first.added[0]!.id)!.modelId!;

    // The same images again in the same views.
    const again = await h.engine.addSet(sameBytes, { endpoint: MULTIVIEW });
    expect(again.added).toEqual([]);
    expect(again.duplicates).toEqual([{ input: expect.any(String), modelId }]);

    const swapped = sameBytes.map((member, i) => ({ ...member, role: (['front', 'back', 'left'] as const)[i] }));
    const other = await h.engine.addSet(swapped, { endpoint: MULTIVIEW });
    expect(other.added).toHaveLength(1);
    const forced = await h.engine.addSet(sameBytes, { endpoint: MULTIVIEW, force: true });
    expect(forced.added).toHaveLength(1);
    await h.engine.waitForIdle();
  });

  it('refuses a set the model cannot take, and lists every unusable image without adding the set', async () => {
    h = await createHarness();
    await expect(h.engine.addSet([{ item: await pngItem('left.png'), role: 'left' }], { endpoint: MULTIVIEW })).rejects.toThrow(/needs a front view/);
    await expect(h.engine.addSet([{ item: await pngItem() }, { item: await pngItem() }], { endpoint: 'tripo3d/tripo/v2.5/image-to-3d' })).rejects.toThrow(
      /makes a model from one image/,
    );
    await expect(h.engine.addImages([await pngItem()], { endpoint: 'fal-ai/trellis/multi' })).rejects.toThrow(/at least 2 images/);

    const bad = { kind: 'bytes' as const, name: 'notes.png', bytes: new TextEncoder().encode('not an image') };
    const result = await h.engine.addSet([{ item: await pngItem('a_front.png'), role: 'front' }, { item: bad, role: 'back' }], { endpoint: MULTIVIEW });
    expect(result.added).toEqual([]);
    expect(result.rejected).toEqual([{ input: 'notes.png', reason: expect.any(String) }]);
    expect(h.engine.listJobs()).toEqual([]);
    expect(h.fake.uploads()).toHaveLength(0);
  });
});
