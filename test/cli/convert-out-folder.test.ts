// `convert --out DIR` makes DIR only when a model is about to be written there: a convert whose inputs
// are all refused (missing, not images) leaves no empty folder behind. The real bin, offline generator.
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { makeTestPng } from '../fixtures/make-glb';
import { runCli, stopAllCliRuns } from '../support/cli-process';

let work = '';
beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'i2m-cli-convert-out-'));
  writeFileSync(join(work, 'notes.txt'), 'not an image');
  writeFileSync(join(work, 'good.png'), await makeTestPng(64, 64, { seed: 72 }));
});
afterAll(async () => {
  await stopAllCliRuns();
  rmSync(work, { recursive: true, force: true });
});

it('a convert of a missing file and a non-image fails and makes no --out folder', async () => {
  const out = join(work, 'models');
  const run = await runCli(['convert', join(work, 'missing.png'), join(work, 'notes.txt'), '--out', out, '--data-dir', join(work, 'data')]);
  expect(run.code).toBe(1);
  expect(run.stderr + run.stdout).toContain('missing.png');
  expect(existsSync(out)).toBe(false);
}, 60_000);

it('a convert that makes a model still makes the missing --out folder, and says so', async () => {
  const out = join(work, 'new', 'models');
  const run = await runCli(['convert', join(work, 'good.png'), '--out', out, '--data-dir', join(work, 'data')]);
  expect(run.code).toBe(0);
  expect(readdirSync(out)).toEqual(['good.glb']);
  expect(run.stderr).toContain(`Created the output folder ${out}`);
}, 60_000);

it('a photo made before (its model reused, nothing paid) is still written into a missing --out folder', async () => {
  const out = join(work, 'again');
  const run = await runCli(['convert', join(work, 'good.png'), '--out', out, '--data-dir', join(work, 'data')]);
  expect(run.code).toBe(0);
  expect(run.stdout + run.stderr).toMatch(/reused model/);
  expect(readdirSync(out)).toEqual(['good.glb']);
}, 60_000);

it('--out naming a file is still refused before anything is done (exit 2)', async () => {
  const run = await runCli(['convert', join(work, 'good.png'), '--out', join(work, 'notes.txt'), '--data-dir', join(work, 'data')]);
  expect(run.code).toBe(2);
  expect(run.stderr).toMatch(/is a file, not a folder/);
}, 60_000);
