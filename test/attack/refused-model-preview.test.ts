// Attack on a round whose model is refused for good (not a GLB, over the size cap, or it cannot be
// stored): the job fails at once - its preview, still coming, is stopped rather than waited for (up to
// its 60 s limit) - and no temp file stays in the library or previews folder.
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import type { FaultRule } from '../fake-fal/types';
import { addOne, createHarness, inState, waitForJob, type Harness } from '../core/engine/harness';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const tempFiles = (dir: string) => (existsSync(dir) ? readdirSync(dir).filter((name) => name.startsWith('.tmp-')) : []);

const cases: [string, FaultRule['fault'], string][] = [
  ['not a GLB', { kind: 'notGlb' }, 'invalid_result'],
  ['over the size cap', { kind: 'oversized', bytes: 2 * 1024 * 1024, chunked: true }, 'result_too_large'],
];
for (const [name, fault, code] of cases) {
  it(`a model refused for good (${name}) fails the job at once, not held by its stalled preview`, async () => {
    // Preview time limit: min(60 s, downloadTimeoutMs) = 60 s; the job must end long before.
    h = await createHarness({ engine: { timing: { downloadTimeoutMs: 120_000 }, maxDownloadBytes: 1024 * 1024 } });
    h.fake.script({ op: 'file', times: Infinity, when: (ctx) => ctx.targetUrl.includes('.png'), fault: { kind: 'hang' } });
    h.fake.script({ op: 'file', times: Infinity, when: (ctx) => ctx.targetUrl.includes('.glb'), fault });
    const id = await addOne(h.engine);
    const job = await waitForJob(h.engine, id, inState('succeeded', 'failed', 'needs_attention', 'canceled'), 20_000);
    expect(job).toMatchObject({ state: 'failed', errorCode: code });
    await h.engine.waitForIdle();
    expect(tempFiles(join(h.dataDir, 'previews'))).toEqual([]);
    expect(tempFiles(join(h.dataDir, 'library'))).toEqual([]);
  }, 45_000);
}

it('a model that cannot be stored (its temp file taken away) fails the job at once, not held by its stalled preview', async () => {
  let libraryDir = '';
  h = await createHarness({
    engine: {
      timing: { downloadTimeoutMs: 120_000 },
      // The hand-off to the check worker (every size) is the moment between download and store: another
      // process's clean-up takes the model's temp file there; the worker fails, so the check runs in place.
      glbWorker: {
        minBytes: 0,
        start: () => {
          for (const name of tempFiles(libraryDir)) rmSync(join(libraryDir, name));
          throw new Error('no worker here');
        },
      },
    },
  });
  libraryDir = join(h.dataDir, 'library');
  h.fake.script({ op: 'file', times: Infinity, when: (ctx) => ctx.targetUrl.includes('.png'), fault: { kind: 'hang' } });
  const id = await addOne(h.engine);
  const job = await waitForJob(h.engine, id, inState('succeeded', 'failed', 'needs_attention', 'canceled'), 20_000);
  expect(job.state).toBe('failed');
  expect(job.falRequestId).not.toBeNull();
  await h.engine.waitForIdle();
  expect(tempFiles(join(h.dataDir, 'previews'))).toEqual([]);
  expect(tempFiles(libraryDir)).toEqual([]);
}, 45_000);
