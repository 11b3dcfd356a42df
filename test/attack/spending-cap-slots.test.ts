// The spending cap against free slots: the cap counted only spend recorded at submission, so every
// free slot (Jobs at the same time, here or in another process on the same folder) claimed a job while
// the cap still looked unreached - cap $0.50 with 4 slots spent $1.20. Jobs claimed and not yet sent
// now count with their estimate: the queue stops where one slot at a time would have stopped.
import { afterEach, describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../../src/core/engine';
import type { QueueState } from '../../src/shared/domain';
import { createHarness, FAST_TIMING, pngItem, waitForQueue, type Harness } from '../core/engine/harness';

const TRIPO = { endpoint: 'tripo3d/tripo/v2.5/image-to-3d', preset: 'standard' as const }; // $0.30 each

let h: Harness | undefined;
let other: Engine | undefined;
afterEach(async () => {
  await other?.close();
  other = undefined;
  await h?.close();
  h = undefined;
});

async function addSix(engine: Engine): Promise<void> {
  const result = await engine.addImages(await Promise.all([1, 2, 3, 4, 5, 6].map(() => pngItem())), TRIPO);
  expect(result.added).toHaveLength(6);
}

// Generous: the waits count the time this process ran (harness.ts); a paused run may take longer on the clock.
describe('the spending cap with several slots', { timeout: 120_000 }, () => {
  it('4 slots, cap $0.50, $0.30 jobs: two are sent (as with one slot), the rest wait; raising the cap runs them', async () => {
    const cap = { usd: 0.5 as number | null };
    h = await createHarness({ engine: { getSpendingCapUsd: () => cap.usd, concurrency: 4 } });
    await addSix(h.engine);
    await waitForQueue(h.engine, (s) => s.status === 'spending_cap' && s.running === 0);
    expect(h.fake.submissions).toHaveLength(2);
    expect(h.engine.listJobs().filter((job) => job.state === 'queued')).toHaveLength(4);

    cap.usd = null;
    h.engine.limitsChanged();
    await h.engine.waitForIdle();
    expect(h.fake.submissions).toHaveLength(6);
  });

  it('the queue says the cap is reached only once it is spent; before, the jobs already started are named', async () => {
    // It said "reached" as soon as the jobs claimed for the last of the cap were uploading, before
    // either was sent (their estimates counted, not yet spent).
    h = await createHarness({ engine: { getSpendingCapUsd: () => 0.5, concurrency: 4 } });
    h.fake.script({ op: ['initiate', 'upload'], delayMs: 1_000, times: Infinity }); // a window to look in
    const said: { state: QueueState; sent: number; spent: number }[] = [];
    h.engine.on('queue', (state) => said.push({ state, sent: h!.fake.submissions.length, spent: h!.engine.costSummary(null).monthUsd }));
    await addSix(h.engine);

    const starting = await waitForQueue(h.engine, (s) => s.status === 'spending_cap');
    expect(h.fake.submissions).toHaveLength(0);
    expect(starting.capStarting).toBe(2);
    expect(starting.message).toBe("2 jobs already started use up the rest of this month's spending cap and will still run; the other FAL jobs wait until it is raised.");

    const reached = await waitForQueue(h.engine, (s) => s.status === 'spending_cap' && s.capStarting === undefined && s.running === 0);
    expect(reached.message).toMatch(/spending cap is reached/);
    expect(h.fake.submissions).toHaveLength(2);
    // No event said "reached" before the cap was spent.
    const early = said.filter(({ state, spent }) => state.status === 'spending_cap' && !state.capStarting && spent < 0.5);
    expect(early).toEqual([]);
    expect(said.some(({ state }) => state.capStarting === 2)).toBe(true);
  });

  it('two processes on one folder share the cap', async () => {
    h = await createHarness({ engine: { getSpendingCapUsd: () => 0.5, concurrency: 2 }, start: false });
    await addSix(h.engine);
    other = createEngine({ dataDir: h.dataDir, getFalKey: () => h!.key.value, falProxyUrl: h.fake.url, getSpendingCapUsd: () => 0.5, concurrency: 2, timing: FAST_TIMING });
    await Promise.all([h.engine.start(), other.start()]);
    await waitForQueue(h.engine, (s) => s.status === 'spending_cap' && s.running === 0);
    await waitForQueue(other, (s) => s.status === 'spending_cap' && s.running === 0);
    expect(h.fake.submissions).toHaveLength(2);
  });
});
