// Attack: FAL (or a hostile proxy) queues the submit and answers with the key - or its secret half -
// as the request id. Any text the id check lets through was stored as the job's request id: in the
// database (the job row, the spend table), in the job shown in the window, and then put into the
// status URLs every poll sends. It is refused like any other unreadable submit answer: the job is
// uncertain (needs_attention, settled from FAL's records), never sent again by itself, and neither the
// key nor a piece of it is stored or shown.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import type { Job } from '../../src/shared/domain';
import { addOne, createHarness, waitForJob, type Harness } from '../core/engine/harness';
import { secretPiecesIn } from '../support/secret-pieces';

const KEY_ID = '5f3c9a7e-1b2d-4c6e-8a0f-2d4b6c8e0a1b';
const SECRET = '9d1e7a3b5c2f4e6a8b0c1d3e5f7a9b2c';
const KEY = `${KEY_ID}:${SECRET}`;

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** Passes every call through; the first submit's answer names `requestId` after FAL queued it. */
function answerFirstSubmitWith(requestId: string): typeof fetch {
  let done = false;
  return async (input, init) => {
    const response = await fetch(input, init);
    const target = new Headers(init?.headers).get('x-fal-target-url') ?? String(input instanceof Request ? input.url : input);
    const isSubmit = (init?.method ?? 'GET').toUpperCase() === 'POST' && /^https:\/\/queue\.fal\.run\/[^?]*$/.test(target) && !target.includes('/requests/');
    if (!isSubmit || done) return response;
    done = true;
    const body = (await response.json()) as Record<string, unknown>;
    return new Response(JSON.stringify({ ...body, request_id: requestId }), { status: 200, headers: { 'content-type': 'application/json' } });
  };
}

const settled = (job: Job) => job.state === 'succeeded' || job.state === 'failed' || job.state === 'needs_attention' || job.state === 'canceled';

for (const [name, id] of [
  // (The whole key, "id:secret", never passed the id check: no ':' in a request id.)
  ['the key id half', KEY_ID],
  ['the secret half', SECRET],
  ['the secret upper-cased', SECRET.toUpperCase()],
] as const) {
  it(`a submit answered with ${name} as its request id is uncertain, and the key is stored nowhere`, async () => {
    h = await createHarness({ engine: { fetch: answerFirstSubmitWith(id) } });
    h.key.value = KEY;
    const jobId = await addOne(h.engine);
    const job = await waitForJob(h.engine, jobId, settled);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(h.fake.submissions).toHaveLength(1);
    expect(h.engine.getJob(jobId)).toMatchObject({ state: 'needs_attention', errorCode: 'submit_uncertain', falRequestId: null });
    expect(secretPiecesIn(SECRET, JSON.stringify(job))).toEqual([]);
    expect(secretPiecesIn(KEY_ID, JSON.stringify(h.engine.getJob(jobId)))).toEqual([]);
    // Nor in the database files (the job row, the spend table, the journal).
    for (const file of readdirSync(h.dataDir).filter((f) => f.startsWith('image2model.db'))) {
      const bytes = readFileSync(join(h.dataDir, file)).toString('latin1');
      expect(secretPiecesIn(SECRET, bytes.toLowerCase()), file).toEqual([]);
      expect(secretPiecesIn(KEY_ID, bytes), file).toEqual([]);
    }
  });
}
