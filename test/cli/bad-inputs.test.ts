// `image2model convert` handed what is not an image, as a user types it: the real bin, the real
// engine, the fake FAL server. Each bad input is skipped with a line that says what is wrong and
// what to do; the good image beside them still becomes a model; the run ends 1 (not every input
// became a model). Lines such as "x is empty (0 bytes)." or "is not a regular file." said what was
// wrong and left the user to guess the rest.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startFakeFal, type FakeFal } from '../fake-fal/server';
import { makeTestPng } from '../fixtures/make-glb';
import { jsonLines, runCli, stopAllCliRuns } from '../support/cli-process';

let work: string;
let fake: FakeFal;
beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'i2m-cli-bad-'));
  writeFileSync(join(work, 'good.png'), await makeTestPng(64, 64, { seed: 71 }));
  writeFileSync(join(work, 'empty.png'), '');
  mkdirSync(join(work, 'no-images'));
  writeFileSync(join(work, 'no-images', 'notes.txt'), 'not an image');
  execFileSync('mkfifo', [join(work, 'pipe.png')]);
  fake = await startFakeFal({ processingMs: 50 });
});
afterAll(async () => {
  await stopAllCliRuns();
  await fake.close();
  rmSync(work, { recursive: true, force: true });
});

it('skips an empty file, a pipe and a folder without images, each saying what to do, and converts the good image', async () => {
  const out = join(work, 'out');
  const inputs = ['empty.png', 'pipe.png', 'no-images', 'good.png'].map((name) => join(work, name));
  const run = await runCli(['convert', ...inputs, '--out', out, '--data-dir', join(work, 'data'), '--fal-proxy', fake.url, '--json'], {
    env: { FAL_KEY: 'cli-test-key-123456' },
  });
  expect(run.code).toBe(1);
  const rejected = new Map(
    jsonLines(run.stdout)
      .filter((line) => line.type === 'rejected')
      .map((line) => [String(line.input).split('/').pop(), String(line.reason)]),
  );
  expect(rejected.get('empty.png')).toMatch(/^empty\.png is empty \(0 bytes\).*Use the complete image\.$/);
  expect(rejected.get('pipe.png')).toMatch(/^pipe\.png is not a regular file.*Choose the image file itself\.$/);
  expect(rejected.get('no-images')).toMatch(/^The folder has no images\. Add PNG, JPEG, WebP, GIF or AVIF images to it/);
  expect(existsSync(join(out, 'good.glb'))).toBe(true);
  expect(jsonLines(run.stdout).at(-1)).toMatchObject({ type: 'summary', succeeded: 1 });
});
