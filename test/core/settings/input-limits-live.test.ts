// The upload limit and the long side photos are scaled to (settings uploadLimitMb, maxLongSide) were
// read once, when the app started: a change applied only after a restart. They are now read at each
// add: the next photo is checked and prepared with the settings as they are.
import { randomBytes } from 'node:crypto';
import sharp from 'sharp';
import { expect, test } from 'vitest';
import type { AddJobsResult } from '../../../src/shared/contract';
import { makeTestPng } from '../../fixtures/make-glb';
import { useTempAppCore } from '../../support/temp-app-core';

const start = useTempAppCore('input-limits-live');

async function add(core: Awaited<ReturnType<typeof start>>['core'], name: string, bytes: Buffer): Promise<AddJobsResult> {
  const answer = await core.dispatch('jobs:add', { items: [{ kind: 'bytes', name, bytes: new Uint8Array(bytes) }], endpoint: 'offline/relief' });
  if (!answer.ok) throw new Error(answer.error.message);
  return answer.data as AddJobsResult;
}

test('a lower upload limit refuses the next photo over it, without a restart', async () => {
  const { core } = await start();
  // Noise does not compress: about 2.4 MB as PNG.
  const noisy = await sharp(randomBytes(900 * 900 * 3), { raw: { width: 900, height: 900, channels: 3 } }).png().toBuffer();
  expect(noisy.length).toBeGreaterThan(1024 * 1024);
  expect((await core.dispatch('settings:set', { uploadLimitMb: 1 })).ok).toBe(true);
  const answer = await add(core, 'noise.png', noisy);
  expect(answer.added).toEqual([]);
  expect(answer.rejected[0]?.reason).toMatch(/the limit is 1 MB/);
});

test('a smaller long side scales the next photo to it, without a restart', async () => {
  const { core } = await start();
  expect((await core.dispatch('settings:set', { maxLongSide: 256 })).ok).toBe(true);
  const answer = await add(core, 'poster.png', await makeTestPng(800, 800, { seed: 71 }));
  expect(answer.added).toHaveLength(1);
  expect(answer.warnings?.[0]?.text).toContain('is sent at 256 x 256 px, scaled to 256 px on its long side');
});
