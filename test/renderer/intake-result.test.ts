// What one drop did, from the core's answers: the jobs it made are counted as added (a photo given
// twice in one drop showed only "1 already on its way" - the job its first copy made was not counted),
// and "Make again anyway" keeps exactly the images that joined a job, nothing else.
import { describe, expect, it } from 'vitest';
import type { AddJobsResult, ImageItem } from '../../src/shared/contract';
import type { Job } from '../../src/shared/domain';
import { channels } from '../../src/shared/contract';
import { addedImageCount, emptyIntakeResult, heldBatches, heldPriceUsd, keepHeld, mergeAnswer } from '../../src/renderer/src/features/drop/intake-result';

const job = (id: string, patch: Partial<Job> = {}) => ({ id, state: 'queued', inputName: `${id}.png`, ...patch }) as Job;
const bytes = (name: string): ImageItem => ({ kind: 'bytes', name, bytes: new Uint8Array([1]) });
const answer = (patch: Partial<AddJobsResult>): AddJobsResult => ({ added: [], rejected: [], duplicates: [], ...patch });
const AddJobsInput = channels['jobs:add'].input;
const fresh = () => emptyIntakeResult({ endpoint: 'tripo3d/tripo/v2.5/image-to-3d', preset: 'standard' });

describe('one drop, from the core answers', () => {
  it('the same photo twice in one call: its job is added once, the copy is named as a copy', () => {
    const result = fresh();
    const sent = [bytes('duck.png'), bytes('duck copy.png')];
    mergeAnswer(result, answer({ added: [job('a')], joined: [{ input: 'duck copy.png', jobId: 'a', sameCall: true }] }), sent);
    expect(result.made).toEqual(['a']);
    expect(addedImageCount(result)).toBe(1);
    expect(result.joined).toEqual([{ input: 'duck copy.png', jobId: 'a', sameDrop: true }]);
    expect(result.joinedItems).toEqual([sent[1]]);
  });

  it('a copy in the next batch of the same drop joins the job the first batch made: still one added', () => {
    const result = fresh();
    mergeAnswer(result, answer({ added: [job('a')] }), [bytes('duck.png')]);
    mergeAnswer(result, answer({ added: [job('a')], joined: [{ input: 'duck copy.png', jobId: 'a' }] }), [bytes('duck copy.png')]);
    expect(result.added.map((j) => j.id)).toEqual(['a']);
    expect(addedImageCount(result)).toBe(1);
    expect(result.joined[0]!.sameDrop).toBe(true);
  });

  it('a photo that joined a job from before is not added; a new one beside it is', () => {
    const result = fresh();
    const sent = [bytes('lamp.png'), bytes('vase.png')];
    mergeAnswer(result, answer({ added: [job('old'), job('new')], joined: [{ input: 'lamp.png', jobId: 'old' }] }), sent);
    expect(result.made).toEqual(['new']);
    expect(addedImageCount(result)).toBe(1);
    expect(result.joined).toEqual([{ input: 'lamp.png', jobId: 'old', sameDrop: false }]);
    expect(result.joinedItems).toEqual([sent[0]]);
  });

  it('a job made from several images counts each of them', () => {
    const result = fresh();
    const set = job('s', { inputs: [{ name: 'front.png' }, { name: 'back.png' }] as Job['inputs'] });
    mergeAnswer(result, answer({ added: [set] }), []);
    expect(addedImageCount(result)).toBe(2);
  });

  it('an image named twice is sent back once per time it joined, never for every item of that name', () => {
    const result = fresh();
    const sent = [bytes('image.png'), bytes('image.png')];
    mergeAnswer(result, answer({ added: [job('old'), job('new')], joined: [{ input: 'image.png', jobId: 'old', item: 0 }] }), sent);
    expect(result.joinedItems).toEqual([sent[0]]);
  });

  it('two different images of one name: "Send anyway" and "Make again anyway" keep the one the answer places, not the first of that name', () => {
    // A browser drop from two folders: a big photo.png goes, a small photo.png is held (and another made before).
    const big = { kind: 'bytes' as const, name: 'photo.png', bytes: new Uint8Array([1, 1, 1]) };
    const small = { kind: 'bytes' as const, name: 'photo.png', bytes: new Uint8Array([2]) };
    const made = { kind: 'bytes' as const, name: 'photo.png', bytes: new Uint8Array([3]) };
    const sent = [big, small, made];
    const result = fresh();
    mergeAnswer(result, answer({ added: [job('p')], held: [{ input: 'photo.png', text: 'photo.png is only 64 x 64 px', item: 1 }], duplicates: [{ input: 'photo.png', modelId: 'm1', item: 2 }] }), sent);
    expect(result.heldItems.map((held) => held.item)).toEqual([small]);
    expect(result.duplicateItems).toEqual([made]);
  });

  it('an entry without its place is never guessed between two items of its name', () => {
    const result = fresh();
    const sent = [bytes('photo.png'), bytes('photo.png')];
    mergeAnswer(result, answer({ held: [{ input: 'photo.png', text: 'photo.png is only 64 x 64 px' }] }), sent);
    expect(result.heldItems).toEqual([]);
    mergeAnswer(result, answer({ held: [{ input: 'stamp.png', text: 'stamp.png is only 64 x 64 px' }] }), [bytes('stamp.png')]);
    expect(result.heldItems).toHaveLength(1);
  });

  it('images of a folder (no items sent) come back as their paths', () => {
    const result = fresh();
    mergeAnswer(result, answer({ added: [job('old')], joined: [{ input: '/photos/lamp.png', jobId: 'old' }], duplicates: [{ input: '/photos/mug.png', modelId: 'm1' }] }), []);
    expect(result.joinedItems).toEqual([{ kind: 'path', path: '/photos/lamp.png' }]);
    expect(result.duplicateItems).toEqual([{ kind: 'path', path: '/photos/mug.png' }]);
  });

  it('keeps exactly the held images of each batch for "Send anyway" (by path for a folder or the picker)', () => {
    const result = fresh();
    const sent = [bytes('stamp.png'), bytes('poster.png')];
    mergeAnswer(result, answer({ added: [job('p')], held: [{ input: 'stamp.png', text: 'stamp.png is only 200 x 150 px' }] }), sent);
    mergeAnswer(result, answer({ held: [{ input: '/photos/icon.png', text: 'icon.png is only 64 x 64 px' }] }), []);
    expect(result.held.map((entry) => entry.input)).toEqual(['stamp.png', '/photos/icon.png']);
    expect(result.heldItems.map((held) => held.item)).toEqual([sent[0], { kind: 'path', path: '/photos/icon.png' }]);
    expect(addedImageCount(result)).toBe(1);
  });

  it('a later drop keeps what an earlier one still holds, each to be sent with its own generator', () => {
    const first = fresh();
    mergeAnswer(first, answer({ held: [{ input: 'stamp.png', text: 'stamp.png is only 64 x 64 px' }] }), [bytes('stamp.png')]);
    const second = emptyIntakeResult({ endpoint: 'fal-ai/trellis', preset: 'high' });
    mergeAnswer(second, answer({ added: [job('p')], held: [{ input: 'icon.png', text: 'icon.png is only 32 x 32 px' }] }), [bytes('icon.png')]);
    const shown = keepHeld(first, second);
    expect(shown.held.map((entry) => entry.input)).toEqual(['stamp.png', 'icon.png']);
    expect(heldBatches(shown.heldItems).map((batch) => [batch.sentWith.endpoint, batch.items.length])).toEqual([
      ['tripo3d/tripo/v2.5/image-to-3d', 1],
      ['fal-ai/trellis', 1],
    ]);
    expect(keepHeld({ ...first, held: [], heldItems: [] }, second)).toBe(second);
  });

  it('a later drop keeps a held set too (it is sent whole, with its own generator)', () => {
    const first = fresh();
    first.held.push({ input: 'jug-b.png', text: 'jug-b.png is only 200 x 150 px' });
    first.heldSets.push({ members: [], sentWith: { endpoint: 'fal-ai/hyper3d/rodin', preset: 'standard' } });
    const shown = keepHeld(first, fresh());
    expect(shown.heldSets.map((set) => set.sentWith.endpoint)).toEqual(['fal-ai/hyper3d/rodin']);
    expect(shown.held).toHaveLength(1);
  });

  it('a folder holding more images than one call takes is sent anyway in calls the contract accepts', () => {
    const result = fresh();
    const paths = Array.from({ length: 1001 }, (_, i) => `/icons/icon-${i}.png`);
    mergeAnswer(result, answer({ held: paths.map((input) => ({ input, text: `${input} is only 64 x 64 px` })) }), []);
    const batches = heldBatches(result.heldItems);
    // The contract's jobs:add takes at most 1,000 items (a larger call was refused whole: nothing sent).
    for (const batch of batches) expect(AddJobsInput.safeParse({ items: batch.items, ...batch.sentWith }).success).toBe(true);
    expect(batches.flatMap((batch) => batch.items.map((item) => (item.kind === 'path' ? item.path : '')))).toEqual(paths);
  });
});

// "Send anyway" showed twice the price for the same photo held by two drops, though sending it makes one
// job (the second copy joins the first's): the price is each job the core's jobKey names, once.
describe('the price of Send anyway', () => {
  const TRIPO = { endpoint: 'tripo3d/tripo/v2.5/image-to-3d', preset: 'standard' as const };
  const price = (sentWith: { endpoint: string }) => (sentWith.endpoint === TRIPO.endpoint ? 0.4 : 0.25);
  const stamp = { input: 'stamp.png', text: 'stamp.png is only 200 x 150 px', item: 0, jobKey: 'k-stamp' };

  it('the same file held by two drops is listed, sent and priced once', () => {
    const first = fresh();
    mergeAnswer(first, answer({ held: [stamp] }), [bytes('stamp.png')]);
    const second = fresh();
    mergeAnswer(second, answer({ added: [job('p')], held: [stamp] }), [bytes('stamp.png'), bytes('poster.png')]);
    const shown = keepHeld(first, second);
    expect(shown.held).toEqual([stamp]);
    expect(shown.heldItems).toHaveLength(1);
    expect(heldPriceUsd(shown, price)).toBe(0.4);
  });

  it('the same file twice in one call is held once', () => {
    const result = fresh();
    mergeAnswer(result, answer({ held: [stamp, { ...stamp, item: 1 }] }), [bytes('stamp.png'), bytes('stamp.png')]);
    expect(result.heldItems).toHaveLength(1);
    expect(result.held).toHaveLength(1);
    expect(heldPriceUsd(result, price)).toBe(0.4);
  });

  it('a copy under another name is listed (it is another file) but is the same job: one price', () => {
    const result = fresh();
    mergeAnswer(result, answer({ held: [stamp, { ...stamp, input: 'stamp copy.png', text: 'stamp copy.png is only 200 x 150 px', item: 1 }] }), [bytes('stamp.png'), bytes('stamp copy.png')]);
    expect(result.held).toHaveLength(2);
    expect(heldPriceUsd(result, price)).toBe(0.4);
  });

  it('the same photo held for two generators is two jobs, each at its price', () => {
    const first = fresh();
    mergeAnswer(first, answer({ held: [stamp] }), [bytes('stamp.png')]);
    const second = emptyIntakeResult({ endpoint: 'fal-ai/trellis', preset: 'standard' });
    mergeAnswer(second, answer({ held: [{ ...stamp, jobKey: 'k-stamp-trellis' }] }), [bytes('stamp.png')]);
    const shown = keepHeld(first, second);
    expect(shown.heldItems).toHaveLength(2);
    expect(heldPriceUsd(shown, price)).toBeCloseTo(0.65);
  });

  it('the same set held by two drops is one model; a price not known is no price', () => {
    const set = { members: [], sentWith: { endpoint: 'fal-ai/hyper3d/rodin', preset: 'standard' as const }, jobKey: 'k-set' };
    const first = { ...fresh(), held: [{ input: 'jug-b.png', text: 'jug-b.png is only 200 x 150 px', jobKey: 'k-set' }], heldSets: [set] };
    const second = { ...fresh(), held: [{ input: 'jug-b.png', text: 'jug-b.png is only 200 x 150 px', jobKey: 'k-set' }], heldSets: [set] };
    const shown = keepHeld(first, second);
    expect(shown.heldSets).toHaveLength(1);
    expect(shown.held).toHaveLength(1);
    expect(heldPriceUsd(shown, price)).toBe(0.25);
    expect(heldPriceUsd(shown, () => null)).toBeNull();
  });
});
