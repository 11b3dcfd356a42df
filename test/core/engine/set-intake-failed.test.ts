// A multi-image set whose one insert fails (the disk full, the database busy past its timeout) answered
// "Something went wrong inside the app": the user could not tell whether the set was queued, or whether
// adding it again would pay twice. Now the answer says the set was not added, why, and that adding it
// again is safe (nothing was added) - as a drop of single photos says since intake-partial.
import { afterEach, expect, it, vi } from 'vitest';
import { createDispatcher } from '../../../src/core/ipc/dispatch';
import { JobStore } from '../../../src/core/queue/store';
import type { Handlers } from '../../../src/shared/contract';
import { createHarness, pngItem, type Harness } from './harness';

let h: Harness | undefined;
afterEach(async () => {
  vi.restoreAllMocks();
  await h?.close();
  h = undefined;
});

const sqliteError = (code: string, message: string) => Object.assign(new Error(message), { code });

it.each([
  ['SQLITE_FULL', 'database or disk is full', /the disk is full \(database or disk is full\)\. .* Free some disk space, then add the set again\.$/],
  ['SQLITE_BUSY', 'database is locked', /stayed busy with another process .*\(database is locked\)\. .* Wait a moment, or let that command finish, then add the set again\.$/],
])('a set whose insert fails (%s) says it was not added, why, and that adding it again is safe', async (code, message, why) => {
  h = await createHarness({ start: false });
  const engine = h.engine;
  const dispatch = createDispatcher({ 'jobs:addSet': ({ inputs, ...opts }) => engine.addSet(inputs, opts) } as Partial<Handlers> as Handlers);
  const inputs = [{ item: await pngItem('front.png') }, { item: await pngItem('back.png') }];
  const endpoint = 'fal-ai/hyper3d/rodin';
  const addOrJoin = JobStore.prototype.addOrJoin;
  vi.spyOn(JobStore.prototype, 'addOrJoin').mockImplementation(() => {
    throw sqliteError(code, message);
  });
  const answer = await dispatch('jobs:addSet', { inputs, endpoint });
  expect(answer.ok).toBe(false);
  const error = (answer as { ok: false; error: { code: string; message: string } }).error;
  expect(error.code).toBe('io_error');
  expect(error.message).toMatch(/^The set of 2 photos \(.*\) was not added: /);
  expect(error.message).toMatch(/Nothing was added, so adding it again is safe\./);
  expect(error.message).toMatch(why);
  expect(engine.listJobs()).toHaveLength(0);

  // Doing what it says: the set again is added, once.
  vi.mocked(JobStore.prototype.addOrJoin).mockImplementation(addOrJoin);
  const again = await engine.addSet(inputs, { endpoint });
  expect(again.added).toHaveLength(1);
  expect(engine.listJobs()).toHaveLength(1);
});
