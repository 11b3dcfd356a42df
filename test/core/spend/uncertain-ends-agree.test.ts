// Two job ends whose count and message disagreed, through the real engine and fake FAL:
// - a job that gave up after FAL's status answers kept failing (5xx) was counted as spent, though FAL
//   charges only a run it finished and never a 5xx error (FAL-PLATFORM.md): whether it ran is unknown.
//   It is now a possible charge ("May be charged") in Settings > Spending and in Stats alike, and its
//   message says so;
// - a cancel that came after FAL had made the model, whose model could not be kept, said "charged" but
//   was counted as "may be charged". FAL finished it, so it charged it: spent in both, as it says.
// - a cancel that came after FAL's status said COMPLETED, whose result fetch then met a 5xx or a cut
//   connection, said "(and charged for it)" and was counted as spent, though the result was never read:
//   COMPLETED is said of a failed run too, so whether FAL made (and charged) the model is not known.
//   It is a possible charge in both views now, and its message says so.
// - a job that gave up asking FAL for a fresh model link (5xx) after FAL had answered with its model (its
//   download failed) ended server_error, "may be charged", though FAL's answer showed it made the model:
//   it ends result_download_failed now, spent in both views, as its message says.
import { afterEach, expect, it } from 'vitest';
import { openDatabase } from '../../../src/core/db/open';
import { createSpendTracker } from '../../../src/core/spend/tracker';
import { createStatsReader } from '../../../src/core/stats';
import { addOne, createHarness, inState, waitForJob, type Harness } from '../engine/harness';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const ended = inState('succeeded', 'failed', 'needs_attention', 'canceled');

/** Settings > Spending (the month's spend, "May be charged") and Stats (`image2model stats`: spent per model). */
function views(dataDir: string) {
  const db = openDatabase(dataDir);
  try {
    const summary = createSpendTracker({ db, billing: () => null }).summary(null);
    const report = createStatsReader(db).report();
    const stats = report.models.reduce((sum, m) => sum + m.estimatedUsd + m.realUsd, 0);
    return { month: summary.monthUsd, possible: summary.possibleUsd ?? 0, stats };
  } finally {
    db.close();
  }
}

it('a job whose status FAL kept answering with 5xx is "may be charged" in Settings and Stats, and says so', async () => {
  h = await createHarness({ engine: { maxAttempts: 2, useStatusStream: false }, fake: { processingMs: 400 } });
  h.fake.script({ op: 'status', fault: { kind: 'infra', status: 502 }, times: Infinity });
  const id = await addOne(h.engine);
  const job = await waitForJob(h.engine, id, ended);
  await h.engine.waitForIdle();

  expect(job).toMatchObject({ state: 'failed', errorCode: 'server_error', requestFinished: false });
  expect(job.estimatedCostUsd).toBeGreaterThan(0);
  expect(views(h.dataDir)).toEqual({ month: 0, possible: expect.closeTo(job.estimatedCostUsd!, 6), stats: 0 });
  expect(job.message).toMatch(/HTTP 502.*Gave up after 2 attempts\. FAL may still finish this job, and charges for it only if it does: it counts as "may be charged"/);
}, 30_000);

it('a cancel after FAL made the model, whose model could not be kept, is spent in Settings and Stats, as it says', async () => {
  h = await createHarness();
  // The job's own result GET stalls (the cancel lands during it); the model FAL made is not a GLB.
  h.fake.script({ op: 'result', fault: { kind: 'hang' } }, { op: 'file', times: Infinity, when: (ctx) => ctx.targetUrl.includes('.glb'), fault: { kind: 'notGlb' } });
  const id = await addOne(h.engine);
  const downloading = await waitForJob(h.engine, id, inState('downloading'));
  await h.fake.waitFor(downloading.falRequestId!, 'COMPLETED');
  void h.engine.cancel(id);
  const job = await waitForJob(h.engine, id, ended);
  await h.engine.waitForIdle();

  expect(job.state).toBe('canceled');
  const usd = job.estimatedCostUsd!;
  expect(usd).toBeGreaterThan(0);
  expect(views(h.dataDir)).toEqual({ month: expect.closeTo(usd, 6), possible: 0, stats: expect.closeTo(usd, 6) });
  expect(job.message).toMatch(/^Canceled after FAL had already made it \(and charged for it\), but its model could not be kept: .*not a usable GLB model/);
}, 30_000);

it.each([
  ['a gateway 502', { kind: 'infra', status: 502 } as const, /HTTP 502/],
  ['a cut connection', { kind: 'reset' } as const, /connection/i],
])('a cancel after FAL said COMPLETED whose result fetch met %s is "may be charged" in Settings and Stats, and says so', async (_how, fault, said) => {
  h = await createHarness();
  // The job's own result GET stalls (the cancel lands during it); the cancel's own fetch of the result fails.
  h.fake.script({ op: 'result', fault: { kind: 'hang' } }, { op: 'result', fault });
  const id = await addOne(h.engine);
  const downloading = await waitForJob(h.engine, id, inState('downloading'));
  await h.fake.waitFor(downloading.falRequestId!, 'COMPLETED');
  void h.engine.cancel(id);
  const job = await waitForJob(h.engine, id, ended);
  await h.engine.waitForIdle();

  const usd = job.estimatedCostUsd!;
  expect(usd).toBeGreaterThan(0);
  expect(job).toMatchObject({ state: 'failed', errorCode: 'result_unread', requestFinished: false });
  expect(views(h.dataDir)).toEqual({ month: 0, possible: expect.closeTo(usd, 6), stats: 0 });
  expect(job.message).toMatch(said);
  expect(job.message).toMatch(/^Canceled after FAL had ended it, but its result could not be read: .*Whether FAL made the model is not known.*"may be charged".*Download again \(free\)/);
  expect(job.message).not.toMatch(/charged for it|paid for/);
}, 30_000);

it('a job that gave up asking FAL for a fresh model link after FAL had answered with its model is spent, as it says', async () => {
  h = await createHarness({ engine: { maxAttempts: 2 } });
  // FAL answers with the model once; its file never downloads, and every later result fetch meets a 503.
  let results = 0;
  h.fake.script(
    { op: 'file', times: Infinity, when: (ctx) => ctx.targetUrl.includes('.glb'), fault: { kind: 'infra', status: 503 } },
    { op: 'result', times: Infinity, when: () => ++results > 1, fault: { kind: 'infra', status: 503 } },
  );
  const id = await addOne(h.engine);
  const job = await waitForJob(h.engine, id, ended);
  await h.engine.waitForIdle();

  const usd = job.estimatedCostUsd!;
  expect(usd).toBeGreaterThan(0);
  expect(results).toBeGreaterThan(1);
  expect(job).toMatchObject({ state: 'failed', errorCode: 'result_download_failed', requestFinished: false });
  expect(views(h.dataDir)).toEqual({ month: expect.closeTo(usd, 6), possible: 0, stats: expect.closeTo(usd, 6) });
  expect(job.message).toMatch(/^The model was made \(and paid for\).*Download again \(free\)/);
}, 30_000);

it('a job whose model download was answered with an unexpected HTTP status is spent, with Download again (free)', async () => {
  h = await createHarness();
  // FAL made the model; its file's server answers 418 (no status a CDN refuses an expired link with).
  h.fake.script({ op: 'file', times: Infinity, when: (ctx) => ctx.targetUrl.includes('.glb'), fault: { kind: 'http', status: 418 } });
  const id = await addOne(h.engine);
  const job = await waitForJob(h.engine, id, ended);
  await h.engine.waitForIdle();

  const usd = job.estimatedCostUsd!;
  expect(usd).toBeGreaterThan(0);
  expect(job).toMatchObject({ state: 'failed', errorCode: 'result_download_failed', requestFinished: false });
  expect(views(h.dataDir)).toEqual({ month: expect.closeTo(usd, 6), possible: 0, stats: expect.closeTo(usd, 6) });
  expect(job.message).toMatch(/^The model was made \(and paid for\).*HTTP 418.*Download again \(free\)/);
}, 30_000);
