// The spending cap: once this month's recorded FAL spend reaches it, new FAL jobs wait queued (not
// failed) with a 'spending_cap' queue state, offline jobs still run, and raising the cap resumes.
import { afterEach, describe, expect, it } from 'vitest';
import { OFFLINE_MODEL_ID } from '../../../src/core/models/catalog';
import { addOne, createHarness, inState, waitForJob, waitForQueue, type Harness } from './harness';

let h: Harness | null = null;
afterEach(async () => {
  await h?.close();
  h = null;
});

describe('spending cap', () => {
  it('holds FAL jobs once the month has reached the cap and resumes when it is raised', async () => {
    const cap = { usd: null as number | null };
    h = await createHarness({ engine: { getSpendingCapUsd: () => cap.usd } });
    const first = await addOne(h.engine, { preset: 'standard' });
    await waitForJob(h.engine, first, inState('succeeded'));
    const spent = h.engine.costSummary(null).monthUsd;
    expect(spent).toBeGreaterThan(0);
    expect(h.engine.costSummary(spent).capReached).toBe(true);

    cap.usd = spent;
    h.engine.limitsChanged();
    const held = await addOne(h.engine, { preset: 'standard' });
    const state = await waitForQueue(h.engine, (s) => s.status === 'spending_cap');
    expect(state.message).toMatch(/spending cap/i);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(h.engine.getJob(held)!.state).toBe('queued');
    expect(h.fake.submissions).toHaveLength(1);

    // The offline generator costs nothing and is not held.
    const offline = await addOne(h.engine, { endpoint: OFFLINE_MODEL_ID });
    await waitForJob(h.engine, offline, inState('succeeded'), 30_000);

    cap.usd = spent + 10;
    h.engine.limitsChanged();
    await waitForJob(h.engine, held, inState('succeeded'));
    expect(h.fake.submissions).toHaveLength(2);
    expect(h.engine.queueState().status).toBe('running');
  });
});
