// Two different images of one name (a browser drop from two folders) were told apart by name only:
// "Send anyway" sent back the first image of that name, not the one held. Each answer's entry now says
// where its image was in the call's items - counted in the page's own list, also when an image before it
// was refused (a path the user never chose) and the engine saw one image fewer.
import { expect, test } from 'vitest';
import type { AddJobsResult, ImageItem } from '../../src/shared/contract';
import { makeTestPng } from '../fixtures/make-glb';
import { useTempAppCore } from '../support/temp-app-core';

const start = useTempAppCore('intake-places');
const TRIPO = 'tripo3d/tripo/v2.5/image-to-3d';
const png = async (side: number, seed: number): Promise<ImageItem> => ({ kind: 'bytes', name: 'photo.png', bytes: new Uint8Array(await makeTestPng(side, side, { seed })) });

test('the held image of two named alike is the one at its place in the items, past a refused path', async () => {
  const { core } = await start();
  const items: ImageItem[] = [{ kind: 'path', path: '/never/chosen.png' }, await png(640, 81), await png(64, 82)];
  const answer = await core.dispatch('jobs:add', { items, endpoint: TRIPO, holdConcerns: true });
  if (!answer.ok) throw new Error(answer.error.message);
  const result = answer.data as AddJobsResult;
  expect(result.rejected.map((entry) => entry.input)).toEqual(['/never/chosen.png']);
  expect(result.added).toHaveLength(1);
  expect(result.held).toEqual([{ input: 'photo.png', text: expect.stringContaining('64 x 64 px'), item: 2, jobKey: expect.any(String) }]);

  // The same two again: the big one joins its job on its way (place 0 here), the small one is held again (place 1).
  const again = await core.dispatch('jobs:add', { items: [items[1]!, items[2]!], endpoint: TRIPO, holdConcerns: true });
  if (!again.ok) throw new Error(again.error.message);
  const second = again.data as AddJobsResult;
  expect(second.joined).toEqual([{ input: 'photo.png', jobId: result.added[0]!.id, item: 0 }]);
  expect(second.held?.map((entry) => entry.item)).toEqual([1]);
});
