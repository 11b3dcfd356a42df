// One data folder, two processes: the app over the browser transport shows what a separate CLI run
// does - the job the CLI creates appears in the queue, follows the CLI's progress, and its model
// appears in the library, all without a reload. The app has no FAL key, so it cannot run the job
// itself: everything it shows comes from the other process.
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { makeTestPng } from '../fixtures/make-glb';
import { startFakeFal, type FakeFal } from '../fake-fal/server';
import { spawnGroup, stopGroup } from '../support/process-group';
import { launchWebApp, type RunningWebApp } from './support/web-app';

const KEY = 'e2e-cli-key-123456';

let fake: FakeFal;
let app: RunningWebApp;
let work: string;
let cli: ChildProcess | null = null;

test.beforeEach(async () => {
  work = mkdtempSync(join(tmpdir(), 'i2m-e2e-cli-'));
  // Jobs wait IN_PROGRESS until the test finishes them, so the running state can be seen first.
  fake = await startFakeFal({ holdJobs: true });
  app = await launchWebApp();
});

test.afterEach(async () => {
  if (cli) await stopGroup(cli, { signal: 'SIGKILL' });
  await app?.stop();
  await fake?.close();
  rmSync(work, { recursive: true, force: true });
});

test('a job a CLI process creates, runs and finishes shows in the queue and then in the library without a reload', async ({ page, context }) => {
  test.setTimeout(120_000);
  await page.goto(app.appUrl);
  await expect(page.getByTestId('job-row')).toHaveCount(0);
  // A second window already on the Library: the model must appear there by itself (opening the
  // Library later would load it anyway, and prove nothing about following another process).
  const library = await context.newPage();
  await library.goto(app.appUrl);
  await library.getByRole('button', { name: 'Library' }).click();
  await expect(library.getByTestId('model-card')).toHaveCount(0);
  // Marks these page loads: a reload would drop them.
  for (const p of [page, library]) await p.evaluate(() => Object.assign(window, { sameLoad: true }));
  const photo = join(work, 'cli-teapot.png');
  writeFileSync(photo, await makeTestPng(256, 256, { seed: 21 }));

  let stdout = '';
  cli = spawnGroup(
    process.execPath,
    ['bin/image2model.mjs', 'convert', photo, '--out', join(work, 'models'), '--data-dir', app.dataDir, '--fal-proxy', fake.url, '--json'],
    { env: { ...process.env, FAL_KEY: KEY, IMAGE2MODEL_FAL_PROXY: undefined }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  cli.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => cli!.once('exit', (code) => resolve(code)));

  // The CLI's job appears in the queue while FAL runs it.
  const row = page.locator('[data-testid="job-row"]', { hasText: 'cli-teapot.png' });
  await expect(row).toHaveAttribute('data-state', 'running', { timeout: 60_000 });
  expect(fake.submissions).toHaveLength(1);
  const requestId = fake.submissions[0]!.requestId;

  // FAL finishes; the CLI downloads the model and exits; the page follows without a reload.
  expect(fake.completeNow(requestId)).toBe(true);
  expect(await exited).toBe(0);
  expect(stdout).toContain('"type":"summary"');
  await expect(row).toHaveAttribute('data-state', 'succeeded', { timeout: 10_000 });
  await expect(library.getByTestId('model-card').filter({ hasText: 'cli-teapot' })).toHaveCount(1, { timeout: 10_000 });
  for (const p of [page, library]) expect(await p.evaluate(() => 'sameLoad' in window)).toBe(true);
});
