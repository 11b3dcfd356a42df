// An uncertain job whose sent input cannot be known (the copy kept with the job damaged, and nothing to
// rebuild it from: no upload URL, or a model no longer in the catalog) has nothing to tell its row by in
// FAL's history. Matched with a null input, no row ever matched, so the reconciler concluded "FAL has no
// record", the job became freely retryable (no confirmation) and its possible charge left the cap - while
// FAL may well have run and charged it. Now it stays uncertain, with that reason in plain words.
import { expect, it } from 'vitest';
import { openDatabase } from '../../../src/core/db/open';
import { addOne, inState, waitForJob, type Harness } from '../engine/harness';
import { useReconcileFixture } from './fixture';

const fixture = useReconcileFixture();

/** A job whose submit reached FAL (queued there; or not, `received` false) but whose answer was lost. */
async function uncertainJob(h: Harness, received = true): Promise<string> {
  h.fake.script({ op: 'submit', fault: { kind: 'reset', afterHandling: received } });
  const id = await addOne(h.engine);
  await waitForJob(h.engine, id, inState('needs_attention'));
  return id;
}

function damage(h: Harness, id: string, set: string): void {
  const db = openDatabase(h.dataDir);
  try {
    db.prepare(`UPDATE jobs SET ${set} WHERE id = ?`).run(id);
  } finally {
    db.close();
  }
}

for (const { name, set } of [
  { name: 'its kept input damaged and no upload URL', set: "submit_input_json = '{not json', input_url = NULL" },
  { name: 'no kept input and a model no longer in the catalog', set: "submit_input_json = NULL, endpoint = 'retired/model'" },
]) {
  it(`an uncertain send whose input cannot be known (${name}) stays uncertain, never "not received"`, async () => {
    const h = await fixture.harness();
    const id = await uncertainJob(h);
    expect(h.fake.submissions).toHaveLength(1);
    damage(h, id, set);
    const r = fixture.reconciler(h, { config: { settleMs: 0, retryBaseMs: 100, retryMaxMs: 400 } });
    const report = await r.runOnce({ force: true });
    expect(report.absent).toEqual([]);
    expect(report.waiting).toEqual([{ jobId: id, reason: 'unknown_input', nextCheckAt: expect.any(Number) }]);
    const job = h.engine.getJob(id);
    expect(job).toMatchObject({ state: 'needs_attention', errorCode: 'submit_uncertain', falRequestId: null });
    expect(job?.errorMessage).toMatch(/no longer knows exactly what it sent/);
    // Still a possible charge, and a retry still needs the user's confirmation.
    expect(h.engine.costSummary(null).possibleUsd).toBeGreaterThan(0);
    await expect(h.engine.retry(id, {})).rejects.toMatchObject({ code: 'confirmation_required' });
  });
}

// Rebuilt from the job (the exact copy missing), the input is a guess at what left: a build or options
// that changed since give another input, which no row matches - while FAL's row naming the job's own
// upload is there. That is no proof of absence either.
it('an uncertain send whose input is rebuilt differently from what left is not "not received" while a row names its upload', async () => {
  const h = await fixture.harness();
  const id = await uncertainJob(h);
  damage(h, id, "submit_input_json = NULL, preset = 'high'");
  const r = fixture.reconciler(h, { config: { settleMs: 0, retryBaseMs: 100, retryMaxMs: 400 } });
  const report = await r.runOnce({ force: true });
  expect(report.absent).toEqual([]);
  expect(report.waiting.map((w) => [w.jobId, w.reason])).toEqual([[id, 'unknown_input']]);
  expect(h.engine.getJob(id)).toMatchObject({ state: 'needs_attention', errorCode: 'submit_uncertain', falRequestId: null });
});

it('a rebuilt input still settles "not received" when no row names the upload', async () => {
  const h = await fixture.harness();
  const id = await uncertainJob(h, false);
  damage(h, id, "submit_input_json = NULL, preset = 'high'");
  const r = fixture.reconciler(h, { config: { settleMs: 0, retryBaseMs: 100, retryMaxMs: 400 } });
  const report = await r.runOnce({ force: true });
  expect(report.absent.map((a) => a.jobId)).toEqual([id]);
});

it('an earlier send kept with no exact input is not "never received" while a row names its upload that the rebuilt input does not match', async () => {
  const h = await fixture.harness();
  const id = await uncertainJob(h);
  // Kept with no exact copy (an older row), its options changed since: rebuilt, it is not what left.
  damage(h, id, "submit_input_json = NULL, preset = 'high'");
  await h.engine.retry(id, { confirm: true });
  await waitForJob(h.engine, id, inState('succeeded'));
  const r = fixture.reconciler(h, { config: { settleMs: 0, retryBaseMs: 100, retryMaxMs: 400 } });
  const report = await r.runOnce({ force: true });
  expect(report.pastAbsent).toEqual([]);
  expect(h.engine.costSummary(null).possibleUsd).toBeGreaterThan(0);
});
