// Attack: FAL's request history (or a proxy in front of it) lists a row whose stored input is valid
// JSON of another type - a string (the input JSON sent as text), a number, a list, true. Such a row
// passed its check, "carried a payload" (not null) and matched nothing, so an uncertain job FAL never
// listed in a readable row was declared "not received" (safe to send again) although that row, whose
// input could not be compared, may be its very submit. Money rule: settled only from rows that could
// be read - this one is unreadable and the job waits.
import { expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { addOne, inState, TEST_KEY, waitForJob, type Harness } from '../core/engine/harness';
import { useReconcileFixture } from '../core/reconcile/fixture';

const fixture = useReconcileFixture();
const TRIPO = 'tripo3d/tripo/v2.5/image-to-3d';

async function lostJob(h: Harness): Promise<string> {
  h.fake.script({ op: 'submit', fault: { kind: 'reset', afterHandling: false } });
  const id = await addOne(h.engine);
  await waitForJob(h.engine, id, inState('needs_attention'));
  return id;
}

it.each([
  ['a string (the input JSON as text)', (input: unknown) => JSON.stringify(input)],
  ['a number', () => 42],
  ['a list', (input: unknown) => [input]],
  ['true', () => true],
])('a row whose stored input is %s is unreadable: the uncertain job waits, never "not received"', async (_name, inputOf) => {
  const h = await fixture.harness();
  const lost = await lostJob(h);
  const warnings: string[] = [];
  const r = fixture.reconciler(h, {
    config: { settleMs: 0, retryBaseMs: 100, retryMaxMs: 400 },
    logger: { info: () => undefined, warn: (message) => warnings.push(message) },
  });
  const sent = { image_url: `https://v3.fal.media/files/x/${TEST_KEY}.jpg` };
  h.fake.setPlatform({
    extraHistoryRows: [{ request_id: randomUUID(), endpoint_id: TRIPO, sent_at: new Date().toISOString(), status_code: 200, json_input: inputOf(sent) }],
  });
  const report = await r.runOnce({ force: true });
  expect(report.absent).toEqual([]);
  expect(report.waiting.map((w) => [w.jobId, w.reason])).toEqual([[lost, 'unreadable_rows']]);
  expect(h.engine.getJob(lost)).toMatchObject({ state: 'needs_attention', errorCode: 'submit_uncertain', falRequestId: null });
  expect(warnings.join('\n')).toMatch(/json_input/);
  expect(warnings.join('\n')).not.toContain(TEST_KEY);
  expect(h.fake.submissions).toHaveLength(0);
});

it('a row whose stored input is an object that is not ours still proves "not received"', async () => {
  const h = await fixture.harness();
  const lost = await lostJob(h);
  const r = fixture.reconciler(h, { config: { settleMs: 0, retryBaseMs: 100, retryMaxMs: 400 } });
  h.fake.setPlatform({ extraHistoryRows: [{ request_id: randomUUID(), endpoint_id: TRIPO, json_input: { image_url: 'https://x/other.jpg' } }] });
  const report = await r.runOnce({ force: true });
  expect(report.absent.map((a) => a.jobId)).toEqual([lost]);
});
