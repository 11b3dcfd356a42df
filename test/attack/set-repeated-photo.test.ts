// Attack (several photos, one model): the same photo twice in a set - dropped twice, or a copy under
// another name ("mug.jpg", "mug copy.jpg") - was taken as two views. A TRELLIS multi-image "set" of
// one photo and its copy, or a Tripo Multiview with the front photo again as the left view, was queued
// and would be paid for as a multi-view model made from one side. Now each repeat is refused, naming
// the photo it repeats, and nothing is added (as for any other unusable image in a set).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import type { AddJobsResult, InputSetMember } from '../../src/shared/contract';
import { useTempAppCore } from '../support/temp-app-core';

const start = useTempAppCore('set-repeat');
const SAMPLES = join(import.meta.dirname, '../../resources/samples');
const photo = (sample: string, name: string, role: InputSetMember['role'] = null): InputSetMember => ({
  item: { kind: 'bytes', name, bytes: new Uint8Array(readFileSync(join(SAMPLES, `${sample}.jpg`))) },
  role,
});

it.each([
  ['fal-ai/trellis/multi', [photo('vase', 'mug.jpg'), photo('duck', 'side.jpg'), photo('vase', 'mug copy.jpg')], 'mug copy.jpg', 'mug.jpg'],
  ['tripo3d/tripo/v2.5/multiview-to-3d', [photo('vase', 'front.jpg', 'front'), photo('vase', 'left.jpg', 'left')], 'left.jpg', 'front.jpg'],
  ['fal-ai/hyper3d/rodin', [photo('apple', 'a.jpg'), photo('apple', 'a.jpg')], 'a.jpg', 'a.jpg'],
])('a %s set with the same photo twice is refused, naming the photo it repeats', async (endpoint, inputs, repeat, original) => {
  const { core } = await start();
  const answer = await core.dispatch('jobs:addSet', { endpoint, inputs });
  expect(answer.ok).toBe(true);
  const result = (answer as { data: AddJobsResult }).data;
  expect(result.added).toEqual([]);
  expect(result.rejected).toEqual([{ input: repeat, reason: expect.stringContaining(`${repeat} is the same photo as ${original}`) }]);
  const jobs = await core.dispatch('jobs:list', undefined);
  expect(jobs.ok && jobs.data).toEqual([]);
});

it('different photos still make one set', async () => {
  const { core } = await start();
  const answer = await core.dispatch('jobs:addSet', { endpoint: 'fal-ai/trellis/multi', inputs: [photo('vase', 'a.jpg'), photo('duck', 'b.jpg'), photo('apple', 'c.jpg')] });
  expect(answer.ok && (answer.data as AddJobsResult).added).toHaveLength(1);
});
