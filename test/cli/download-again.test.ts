// The CLI's Download again: `resume --download-again` fetches, free, the result FAL still holds for a
// job that failed after FAL made it (the same rule as the app's button), never submitting it again.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, expect, it } from 'vitest';
import { checkGlbHeader } from '../../src/core/library/glb';
import { canDownloadAgain } from '../../src/shared/job-retry';
import { addOne, createHarness, inState, TEST_KEY, waitForJob, type Harness } from '../core/engine/harness';
import { jsonLines, runCli, stopAllCliRuns } from '../support/cli-process';

let h: Harness | undefined;
const out = mkdtempSync(join(tmpdir(), 'i2m-cli-again-'));
afterEach(async () => {
  await h?.close();
  h = undefined;
});
afterAll(async () => {
  await stopAllCliRuns();
  rmSync(out, { recursive: true, force: true });
});

it('resume --download-again fetches the model of a job whose download kept failing, with no second submit', async () => {
  h = await createHarness();
  // The model's download keeps failing: the job ends failed, FAL still holding the paid result.
  h.fake.script({ op: 'file', times: Infinity, when: (ctx) => ctx.targetUrl.includes('.glb'), fault: { kind: 'infra', status: 503 } });
  const id = await addOne(h.engine);
  const failed = await waitForJob(h.engine, id, inState('succeeded', 'failed', 'needs_attention', 'canceled'));
  expect(failed).toMatchObject({ state: 'failed', errorCode: 'result_download_failed' });
  expect(canDownloadAgain(failed)).toBe(true);
  await h.engine.close();
  // The CDN has the file again.
  h.fake.clearScript();

  const run = await runCli(['resume', '--download-again', '--out', out, '--data-dir', h.dataDir, '--fal-proxy', h.fake.url, '--json'], { env: { FAL_KEY: TEST_KEY } });
  expect(run.code).toBe(0);
  const summary = jsonLines(run.stdout).at(-1)!;
  expect(summary).toMatchObject({ type: 'summary', succeeded: 1, failed: 0 });
  const file = (summary.outputs as { file: string }[])[0]!.file;
  expect(checkGlbHeader(readFileSync(file)).ok).toBe(true);
  expect(h.fake.submissions).toHaveLength(1);
}, 180_000);

it('resume --download-again with no FAL_KEY fetches the model from the link kept with the job (it needs no key)', async () => {
  h = await createHarness();
  h.fake.script({ op: 'file', times: Infinity, when: (ctx) => ctx.targetUrl.includes('.glb'), fault: { kind: 'infra', status: 503 } });
  const id = await addOne(h.engine);
  const failed = await waitForJob(h.engine, id, inState('succeeded', 'failed', 'needs_attention', 'canceled'));
  expect(failed).toMatchObject({ state: 'failed', errorCode: 'result_download_failed' });
  await h.engine.close();
  h.fake.clearScript();
  const resultGets = h.fake.requestsFor('result').length;

  const run = await runCli(['resume', '--download-again', '--out', out, '--data-dir', h.dataDir, '--fal-proxy', h.fake.url, '--json']);
  expect(run.code).toBe(0);
  const summary = jsonLines(run.stdout).at(-1)!;
  expect(summary).toMatchObject({ type: 'summary', succeeded: 1, failed: 0 });
  const file = (summary.outputs as { file: string }[])[0]!.file;
  expect(checkGlbHeader(readFileSync(file)).ok).toBe(true);
  expect(h.fake.requestsFor('result')).toHaveLength(resultGets);
  expect(h.fake.submissions).toHaveLength(1);
}, 180_000);
