// The command line left jobs that may be charged (a run FAL failed, a job given up on FAL's errors)
// unsettled: only the app settled them from FAL's request history, in the background. A CLI run now
// settles its own before it sums up - the job's line says what FAL's records showed - and says how to
// settle what is left; `image2model reconcile` (and `resume`) settle every one left. Fake FAL, the real CLI.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, expect, it, vi } from 'vitest';
import { runCli as runCliMain } from '../../src/cli/main';
import { makeTestPng } from '../fixtures/make-glb';
import { startFakeFal, type FakeFal } from '../fake-fal/server';
import { jsonLines, runCli, stopAllCliRuns } from '../support/cli-process';
import { addOne, createHarness, inState, TEST_KEY, waitForJob, type Harness } from '../core/engine/harness';

const work = mkdtempSync(join(tmpdir(), 'i2m-cli-settle-charges-'));
let fake: FakeFal;
let h: Harness | undefined;
const savedKey = process.env.FAL_KEY;
beforeAll(async () => {
  fake = await startFakeFal({ processingMs: 20 });
});
afterEach(async () => {
  await h?.close();
  h = undefined;
  if (savedKey === undefined) delete process.env.FAL_KEY;
  else process.env.FAL_KEY = savedKey;
});
afterAll(async () => {
  await stopAllCliRuns();
  await fake.close();
  rmSync(work, { recursive: true, force: true });
});

/** `convert` of one photo whose run FAL fails with `status`; the run's JSON lines. */
async function convertFailing(status: 500 | 422, seed: number): Promise<Record<string, unknown>[]> {
  const photo = join(work, `photo-${seed}.png`);
  writeFileSync(photo, await makeTestPng(320, 320, { alpha: true, seed }));
  fake.script({ op: 'submit', outcome: { kind: 'failedRun', status } });
  const run = await runCli(['convert', photo, '--out', join(work, 'out'), '--data-dir', join(work, 'data'), '--fal-proxy', fake.url, '--json'], {
    env: { FAL_KEY: 'cli-test-key-123456' },
  });
  expect(run.code).toBe(1);
  return jsonLines(run.stdout);
}

it('a convert run whose job FAL failed with a server error settles it: its last line says FAL did not charge it', { timeout: 120_000 }, async () => {
  const lines = await convertFailing(500, 71);
  const jobLines = lines.filter((line) => line.type === 'job');
  expect(jobLines.at(-1)).toMatchObject({
    state: 'failed',
    message: expect.stringMatching(/^FAL reports that the generation failed \(HTTP 500[^)]*\)\. FAL's request history \(checked [^)]+\) shows its run ended in a server error or never started: FAL did not charge it\. Generating it again is charged once, not twice\.$/),
  });
  expect(lines.filter((line) => line.code === 'may_be_charged')).toEqual([]);
});

it('a convert run whose job FAL\'s history cannot settle (a 422 after it began) says it may be charged and how to settle it', { timeout: 120_000 }, async () => {
  const lines = await convertFailing(422, 72);
  expect(lines.filter((line) => line.code === 'may_be_charged')).toEqual([
    { type: 'note', code: 'may_be_charged', message: expect.stringMatching(/^One job may be charged: .*Run `image2model reconcile` later to settle it from FAL's records \(free; nothing is sent again\), or set FAL_ADMIN_KEY/) },
  ]);
});

async function runInProcess(args: string[]): Promise<{ code: number; stdout: string }> {
  let stdout = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => ((stdout += String(chunk)), true));
  const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  try {
    return { code: await runCliMain(args), stdout };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

it('reconcile settles a job the app gave up on (FAL answered its status with 502s) that FAL finished: charged, and says so', { timeout: 60_000 }, async () => {
  h = await createHarness({ engine: { maxAttempts: 2, useStatusStream: false }, fake: { processingMs: 200 } });
  h.fake.script({ op: 'status', fault: { kind: 'infra', status: 502 }, times: Infinity });
  const id = await addOne(h.engine);
  const failed = await waitForJob(h.engine, id, inState('failed'));
  await h.fake.waitFor(failed.falRequestId!, 'COMPLETED');
  await h.engine.stop();
  process.env.FAL_KEY = TEST_KEY;
  const common = ['--data-dir', h.dataDir, '--fal-proxy', h.fake.url];
  const json = await runInProcess(['reconcile', '--json', ...common]);
  const report = JSON.parse(json.stdout.trim()) as { charges: { id: string; outcome: string; message: string }[] };
  expect(report.charges).toEqual([{ id, input: expect.any(String), outcome: 'charged', message: expect.stringMatching(/shows FAL finished it: it was charged\. Use Download again \(free\) to fetch its model\.$/) }]);
  // Settled: not asked about again.
  const plain = await runInProcess(['reconcile', ...common]);
  expect(plain.stdout).not.toMatch(/charged/);
});
