// Attack: FAL (or a gateway in between) answers a result or status call with 200 and a body labelled
// JSON that is not JSON. The job was made and paid for, the connection was fine: the job said
// "Talking to FAL failed: Unexpected token 'h', "{"model_mes"... is not valid JSON Gave up after 5
// attempts." - a parser's words, a piece of the answer's body in the message (which may hold anything
// the answer held), and a broken connection (connection_lost) that never happened. It now says an
// answer came that could not be read, quotes nothing from the body, and keeps Download again.
import { afterEach, expect, it } from 'vitest';
import { canDownloadAgain } from '../../src/shared/job-retry';
import { addOne, createHarness, inState, pngItem, waitForJob, type Harness } from '../core/engine/harness';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const BODY_SECRET = 'xbodyx';
const ENDED = inState('succeeded', 'failed', 'needs_attention', 'canceled');
const notJson = { kind: 'http', status: 200, body: `{"model_mesh": {"url": ${BODY_SECRET}}}`, headers: { 'content-type': 'application/json' } } as const;

it.each([
  ['one photo', false],
  ['a multi-image set', true],
])('a result answer that is not JSON (%s) says so, quotes nothing of it and keeps Download again', async (_label, multi) => {
  h = await createHarness();
  h.fake.script({ op: 'result', fault: notJson, times: Infinity });
  const id = multi
    ? (await h.engine.addSet([{ item: await pngItem('a.png') }, { item: await pngItem('b.png') }], { endpoint: 'fal-ai/hyper3d/rodin' })).added[0]!.id
    : await addOne(h.engine);
  const job = await waitForJob(h.engine, id, ENDED);
  expect(job.state).toBe('failed');
  expect(job.errorCode).toBe('server_error');
  expect(job.errorMessage).toMatch(/^FAL sent an answer that could not be read \(not JSON\)\./);
  expect(job.errorMessage).not.toContain(BODY_SECRET);
  expect(job.errorMessage).not.toMatch(/Unexpected|valid JSON/);
  for (const event of h.jobs.get(id) ?? []) expect(`${event.message ?? ''} ${event.errorMessage ?? ''}`).not.toContain(BODY_SECRET);
  expect(canDownloadAgain(job)).toBe(true);
  expect(h.fake.submissions).toHaveLength(1);
}, 30_000);

it('a status answer that is not JSON is an unreadable answer, not a broken connection, and the job goes on', async () => {
  h = await createHarness();
  h.fake.script({ op: ['status', 'stream'], fault: notJson, times: 2 });
  const id = await addOne(h.engine);
  const job = await waitForJob(h.engine, id, ENDED);
  expect(job.state).toBe('succeeded');
  const said = (h.jobs.get(id) ?? []).map((e) => `${e.message ?? ''} ${e.errorMessage ?? ''}`).join('\n');
  expect(said).not.toContain(BODY_SECRET);
  expect(said).not.toMatch(/Unexpected|valid JSON/);
  expect(h.fake.submissions).toHaveLength(1);
}, 30_000);
