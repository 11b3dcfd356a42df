// Attack: the engine stops (Ctrl-C in the CLI, the app quitting) while a submit is on its way, and the
// submit then fails (no answer in time, a 5xx, a cut connection) - FAL may have queued it. The job went
// back to the queue as "Paused: the engine stopped", its send kept but shown nowhere: not as needing
// attention, not to reconciliation or the spending cap's "may be charged", and the CLI's summary said
// "not finished (queued)". Once a submit has left, a job has its request id or needs attention -
// nothing else (issue 11, item 2).
import { afterEach, expect, it } from 'vitest';
import { openDatabase } from '../../src/core/db/open';
import { addOne, createHarness, waitForJob, type Harness } from '../core/engine/harness';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** The job as the database has it (the engine is stopped). */
function stored(dataDir: string, id: string): { state: string; error_code: string | null; fal_request_id: string | null } {
  const db = openDatabase(dataDir);
  try {
    return db.prepare('SELECT state, error_code, fal_request_id FROM jobs WHERE id = ?').get(id) as { state: string; error_code: string | null; fal_request_id: string | null };
  } finally {
    db.close();
  }
}

for (const fault of [
  { name: 'no answer in time', rule: { kind: 'hang', afterHandling: true } },
  { name: 'a gateway 502 after FAL queued it', rule: { kind: 'infra', status: 502, afterHandling: true }, delayMs: 800 },
] as const) {
  it(`a stop while the submit is on its way, then ${fault.name}: the job needs attention, never back in the queue`, async () => {
    h = await createHarness({ engine: { timing: { requestTimeoutMs: 1_500 } } });
    h.fake.script({ op: 'submit', fault: fault.rule, ...('delayMs' in fault ? { delayMs: fault.delayMs } : {}) });
    const id = await addOne(h.engine);
    await waitForJob(h.engine, id, (job) => job.message === 'Sending the job to FAL');
    // Stop waits for the worker, whose submit fails meanwhile.
    await h.engine.stop();
    expect(h.fake.submissions).toHaveLength(1);
    expect(stored(h.dataDir, id)).toMatchObject({ state: 'needs_attention', error_code: expect.stringMatching(/^submit_/), fal_request_id: null });
  });
}
