// --json runs carry the notes a terminal shows ({"type":"note","code","message"}): a script learns that
// the run was interrupted and its jobs kept, not only that some are pending. The real bin against the
// fake FAL server, which holds the job so Ctrl-C comes while FAL has it.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { makeTestJpeg } from '../fixtures/make-glb';
import { startFakeFal, type FakeFal } from '../fake-fal/server';
import { jsonLines, runCli, stopAllCliRuns } from '../support/cli-process';

let work = '';
let fake: FakeFal;
beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'i2m-cli-json-notes-'));
  fake = await startFakeFal({ holdJobs: true });
});
afterAll(async () => {
  await stopAllCliRuns();
  await fake.close();
  rmSync(work, { recursive: true, force: true });
});

it('Ctrl-C in a --json run prints the interrupted note as a JSON line before the summary', async () => {
  const photo = join(work, 'vase.jpg');
  writeFileSync(photo, await makeTestJpeg(320, 240, { seed: 71 }));
  const run = await runCli(['convert', photo, '--out', join(work, 'out'), '--data-dir', join(work, 'data'), '--fal-proxy', fake.url, '--json'], {
    env: { FAL_KEY: 'cli-test-key-123456' },
    interruptAfter: (line) => line.includes('"state":"submitted"'),
  });
  expect(run.code).toBe(1);
  // Every line is JSON: stdout stays machine-readable.
  const lines = run.stdout.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
  expect(lines).toEqual(jsonLines(run.stdout));
  const notes = lines.filter((line) => line.type === 'note');
  expect(notes).toEqual([{ type: 'note', code: 'interrupted', message: expect.stringMatching(/^Interrupted\..*image2model resume/) }]);
  expect(lines.at(-1)).toMatchObject({ type: 'summary', pending: 1 });
}, 120_000);
