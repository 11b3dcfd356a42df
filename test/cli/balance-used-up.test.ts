// FAL refuses jobs with 403 "User is locked. Reason: Exhausted balance" once the account's balance is
// used up. The CLI's closing note repeated the engine's words ("press Test key in Settings", a button
// the CLI does not have). It now says the balance is used up, where to top up, and how to go on here.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { makeTestPng } from '../fixtures/make-glb';
import { startFakeFal, type FakeFal } from '../fake-fal/server';
import { runCli, stopAllCliRuns } from '../support/cli-process';

const TRIPO = 'tripo3d/tripo/v2.5/image-to-3d';
const work = mkdtempSync(join(tmpdir(), 'i2m-cli-balance-'));
let fake: FakeFal | undefined;
afterAll(async () => {
  await stopAllCliRuns();
  await fake?.close();
  rmSync(work, { recursive: true, force: true });
});

it('a used-up FAL balance: convert says to top up at fal.ai and resume, and sends nothing', async () => {
  fake = await startFakeFal({ processingMs: 100 });
  fake.script({ op: 'submit', fault: { kind: 'auth', status: 403 } });
  const photo = join(work, 'kettle.png');
  writeFileSync(photo, await makeTestPng(256, 256, { seed: 31 }));
  const run = await runCli(['convert', photo, '--model', TRIPO, '--out', join(work, 'out'), '--data-dir', join(work, 'data'), '--fal-proxy', fake.url], {
    env: { FAL_KEY: 'cli-test-key-123456' },
  });
  expect(run.code).toBe(1);
  // The job's own line keeps FAL's words, with this command's step instead of the app's Test key button.
  expect(run.stdout).toContain('then run `image2model resume`.');
  expect(run.stdout).not.toContain('Test key');
  // The run's closing note.
  expect(run.stdout).toContain('Your FAL balance is used up: FAL refused the jobs (nothing was charged; they stay queued). Top up at fal.ai/dashboard/billing, then run `image2model resume`.');
  expect(fake.submissions).toHaveLength(0);
}, 120_000);
