// The engine records its FAL requests: jobs run through the fake FAL server (real @fal-ai/client)
// with faults, and the recorded statistics say what happened.
import { afterEach, describe, expect, it } from 'vitest';
import { addOne, createHarness, inState, TEST_KEY, waitForJob, type Harness } from '../engine/harness';
import { JobStore } from '../../../src/core/queue/store';
import { createReconciler, DEFAULT_RECONCILE_CONFIG } from '../../../src/core/reconcile/reconciler';
import { openDatabase } from '../../../src/core/db/open';
import { createPlatformClient } from '../../../src/core/fal/platform-client';
import { DEFAULT_MODEL_ID, OFFLINE_MODEL_ID } from '../../../src/core/models/catalog';
import { createSpendTracker } from '../../../src/core/spend/tracker';
import { reportBillableUnits } from '../../../src/core/spend/units';

let h: Harness;
afterEach(async () => h?.close());

const requestRows = (harness: Harness) => {
  const { requests } = harness.engine.stats.report().models[0] ?? { requests: 0 };
  return requests;
};

describe('the engine records FAL request outcomes', () => {
  it('counts successes, failures by type, uncertain submits, each 429 and the spend', async () => {
    h = await createHarness({ engine: { concurrency: 1, maxAttempts: 3 } });

    // 1. A plain success.
    const ok = await addOne(h.engine);
    await waitForJob(h.engine, ok, inState('succeeded'));

    // 2. Two 429s on submit (no attempt spent), then a success.
    h.fake.script({ op: 'submit', fault: { kind: 'rateLimit' }, times: 2 });
    const limited = await addOne(h.engine);
    await waitForJob(h.engine, limited, inState('succeeded'));

    // 3. A 503 on submit: FAL may have queued it anyway, so it is uncertain (never resubmitted).
    h.fake.script({ op: 'submit', fault: { kind: 'infra', status: 503 } });
    const uncertain = await addOne(h.engine);
    await waitForJob(h.engine, uncertain, inState('needs_attention'));

    // 4. The model fails on FAL.
    h.fake.script({ op: 'submit', outcome: { kind: 'failedRun', status: 500, detail: 'CUDA out of memory' } });
    const failed = await addOne(h.engine);
    await waitForJob(h.engine, failed, inState('failed'));

    // 5. The submit's answer is lost: uncertain.
    h.fake.script({ op: 'submit', fault: { kind: 'reset' } });
    const lost = await addOne(h.engine);
    await waitForJob(h.engine, lost, inState('needs_attention'));
    await h.engine.waitForIdle();

    const report = h.engine.stats.report();
    expect(report.models).toHaveLength(1);
    const [model] = report.models;
    expect(model).toMatchObject({ endpoint: DEFAULT_MODEL_ID, requests: 5, succeeded: 2, failed: 1, canceled: 0, uncertain: 2, rateLimits: 2 });
    expect(report.errors.map((e) => [e.errorType, e.count]).sort()).toEqual([
      ['run_failed', 1],
      ['submit_uncertain', 2],
    ]);
    // Every request lands in a duration bucket; the fake answers within seconds (60 ms of "work").
    expect(model!.durationBuckets.reduce((a, b) => a + b, 0)).toBe(5);
    expect(model!.durationBuckets.slice(0, 3).reduce((a, b) => a + b, 0)).toBe(5);
    expect(model!.durationSumS).toBeGreaterThan(5 * 0.01);
    // Spend: the estimates of the two successful requests (FAL bills successful outputs), today.
    const estimates = [ok, limited].map((id) => h.engine.getJob(id)!.estimatedCostUsd ?? 0);
    expect(model!.estimatedUsd).toBeCloseTo(estimates.reduce((a, b) => a + b, 0), 6);
    expect(model!.estimatedUsd).toBeGreaterThan(0);
    expect(report.spendByDay).toEqual([{ day: expect.any(String), requests: 5, estimatedUsd: model!.estimatedUsd, realUsd: 0 }]);
  });

  it('records a retried job again as a new request, and a cancel after submit as canceled', async () => {
    h = await createHarness({ engine: { concurrency: 1 }, fake: { processingMs: 2_000 } });
    h.fake.script({ op: 'submit', fault: { kind: 'reset' } });
    const id = await addOne(h.engine);
    await waitForJob(h.engine, id, inState('needs_attention'));
    await h.engine.retry(id, { confirm: true });
    await waitForJob(h.engine, id, inState('submitted', 'running'));
    await h.engine.cancel(id);
    await waitForJob(h.engine, id, inState('canceled'));
    await h.engine.waitForIdle();
    expect(requestRows(h)).toBe(2);
    expect(h.engine.stats.report().models[0]).toMatchObject({ uncertain: 1, canceled: 1 });
  });

  it('a submit FAL refuses (422) is one failed request, counted once', async () => {
    h = await createHarness({ engine: { concurrency: 1 } });
    h.fake.script({ op: 'submit', fault: { kind: 'validation' } });
    const id = await addOne(h.engine);
    await waitForJob(h.engine, id, inState('failed'));
    await h.engine.waitForIdle();
    const report = h.engine.stats.report();
    expect(report.models[0]).toMatchObject({ requests: 1, failed: 1, succeeded: 0 });
    expect(report.errors).toEqual([{ endpoint: DEFAULT_MODEL_ID, errorType: 'invalid_input', count: 1 }]);
  });

  it('takes the units FAL reports on the result and, with the billing key, what FAL billed', async () => {
    const ADMIN = 'admin-key-0123456789';
    let record: (id: string, units: number) => void = () => undefined;
    h = await createHarness({
      engine: { concurrency: 1, fetch: reportBillableUnits(globalThis.fetch, (id, units) => record(id, units), (text) => text) },
      fake: { platform: { adminKeys: [ADMIN], prices: { [DEFAULT_MODEL_ID]: { unitPrice: 0.27 } }, billableUnits: 2 } },
    });
    const db = openDatabase(h.dataDir);
    try {
      const tracker = createSpendTracker({
        db,
        billing: () => createPlatformClient({ key: ADMIN, proxyUrl: h.fake.url, retries: 0 }),
        unitPrice: () => 0.1,
      });
      record = (id, units) => tracker.recordUnits(id, units);
      await waitForJob(h.engine, await addOne(h.engine), inState('succeeded'));
      await h.engine.waitForIdle();
      // Units arrived on the result answer, before the request was recorded: priced at the list price.
      expect(h.engine.stats.report().models[0]).toMatchObject({ billableUnits: 2, estimatedUsd: 0, realUsd: 0.2 });
      // FAL's billing events replace that with the billed cost.
      await tracker.sync();
      const billed = h.fake.platform.billingEvents().map((e) => e.cost_total ?? 0);
      expect(billed).toHaveLength(1);
      expect(h.engine.stats.report().models[0]!.realUsd).toBeCloseTo(billed[0]!, 6);
    } finally {
      db.close();
    }
  });

  it('a lost-answer submit that reconciliation adopts is one request: succeeded, no longer uncertain', async () => {
    h = await createHarness({ engine: { concurrency: 1 } });
    // FAL queues the submit, then the answer is lost: the job is uncertain (counted so for now).
    h.fake.script({ op: 'submit', fault: { kind: 'reset', afterHandling: true } });
    const id = await addOne(h.engine);
    await waitForJob(h.engine, id, inState('needs_attention'));
    await h.engine.waitForIdle();
    expect(h.engine.stats.report().models[0]).toMatchObject({ requests: 1, uncertain: 1 });

    const db = openDatabase(h.dataDir);
    const reconciler = createReconciler({
      jobs: new JobStore(db),
      now: Date.now,
      platform: () => createPlatformClient({ key: TEST_KEY, proxyUrl: h.fake.url, retries: 0 }),
      config: () => DEFAULT_RECONCILE_CONFIG,
      onJob: () => undefined,
      wake: () => undefined,
      logger: { info: () => undefined, warn: () => undefined },
    });
    try {
      const report = await reconciler.runOnce();
      expect(report.adopted.map((a) => a.jobId)).toEqual([id]);
      // Adopted: the same FAL request, now followed; it is not uncertain any more.
      expect(h.engine.stats.report().models[0]?.uncertain ?? 0).toBe(0);
      await waitForJob(h.engine, id, inState('succeeded'));
      await h.engine.waitForIdle();
    } finally {
      await reconciler.stop();
      db.close();
    }
    const report = h.engine.stats.report();
    expect(h.fake.submissions).toHaveLength(1);
    expect(report.models[0]).toMatchObject({ requests: 1, succeeded: 1, uncertain: 0 });
    expect(report.errors).toEqual([]);
    expect(report.models[0]!.durationBuckets.reduce((a, b) => a + b, 0)).toBe(1);
    expect(report.spendByDay).toEqual([{ day: expect.any(String), requests: 1, estimatedUsd: expect.any(Number), realUsd: 0 }]);
  });

  it('offline jobs are not FAL requests', async () => {
    h = await createHarness({ engine: { concurrency: 1 } });
    const id = await addOne(h.engine, { endpoint: OFFLINE_MODEL_ID });
    await waitForJob(h.engine, id, inState('succeeded', 'failed'));
    expect(h.engine.stats.report().models).toEqual([]);
  });
});
