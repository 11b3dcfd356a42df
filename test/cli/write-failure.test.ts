// A model FAL made (and charged) that cannot be written to --out (here: no free file name) is said -
// what failed, that the model is in the library and how `export` gets it - and the run goes on: the
// other jobs' files are written and the summary printed, exit 1. It used to end the run at that job.
import { existsSync, mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { makeTestJpeg } from '../fixtures/make-glb';
import { startFakeFal, type FakeFal } from '../fake-fal/server';
import { MAX_NAME_TRIES } from '../../src/core/library/free-names';
import { jsonLines, runCli, stopAllCliRuns } from '../support/cli-process';

let work = '';
let fake: FakeFal;
beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'i2m-cli-write-failure-'));
  fake = await startFakeFal({ processingMs: 100 });
});
afterAll(async () => {
  await stopAllCliRuns();
  await fake.close();
  rmSync(work, { recursive: true, force: true });
});

it('a model that cannot be written is reported with what to do; the other is written and the summary printed', async () => {
  const [full, fine] = [join(work, 'full.jpg'), join(work, 'fine.jpg')];
  writeFileSync(full, await makeTestJpeg(320, 240, { seed: 81 }));
  writeFileSync(fine, await makeTestJpeg(320, 240, { seed: 82 }));
  const out = join(work, 'out');
  mkdirSync(out);
  // Every name full.jpg's model could take is taken.
  for (let n = 1; n <= MAX_NAME_TRIES; n++) writeFileSync(join(out, n === 1 ? 'full.glb' : `full-${n}.glb`), '');
  const run = await runCli(['convert', full, fine, '--out', out, '--data-dir', join(work, 'data'), '--fal-proxy', fake.url, '--json'], {
    env: { FAL_KEY: 'cli-test-key-123456' },
  });
  expect(run.code).toBe(1);
  const lines = jsonLines(run.stdout);
  const note = lines.find((line) => line.type === 'note' && line.code === 'write_failed');
  expect(note).toMatchObject({ input: 'full.jpg', modelId: expect.any(String) });
  expect(String(note!.message)).toMatch(/could not be written to .*No free file name.*It is in the library \(model \S+\).*image2model export \S+ \S*full\.glb/);
  expect(lines.at(-1)).toMatchObject({ type: 'summary', succeeded: 1, failed: 1, outputs: [{ input: 'fine.jpg', file: join(out, 'fine.glb') }] });
  expect(existsSync(join(out, 'fine.glb'))).toBe(true);
  expect(fake.submissions).toHaveLength(2);
}, 120_000);
