// Attack on the kept answer (jobs.result_output_json) as the database holds it: the SQL that lets a
// job be claimed with no key (KEPT_LINK_USABLE_SQL) and the code that reads the answer (keptResultOf)
// must agree on what a usable kept answer is. Edited to hold "requestId" twice (SQLite reads the first,
// JSON.parse the last), a job with no key set was claimed, found to have no usable answer, put back
// "Waiting for a FAL key" and claimed again at once: a loop that starved the process (this test's own
// time limit never fired). Now the unusable answer is dropped when the job goes back to wait for a key.
import { afterEach, expect, it } from 'vitest';
import { openDatabase } from '../../src/core/db/open';
import { addOne, createHarness, inState, waitForJob, type Harness } from '../core/engine/harness';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const ended = inState('succeeded', 'failed', 'needs_attention', 'canceled');

for (const [what, edit] of [
  // SQLite reads the first of two same-named fields, JSON.parse the last.
  ['a second "requestId"', (json: string) => `${json.slice(0, -1)},"requestId":"someone-else"}`],
] as const) {
  it(`a kept answer edited to hold ${what} leaves the job waiting for a key, claimed once, not in a loop`, async () => {
    h = await createHarness();
    h.fake.script({ op: 'file', times: Infinity, when: (ctx) => ctx.targetUrl.includes('.glb'), fault: { kind: 'infra', status: 503 } });
    const id = await addOne(h.engine);
    const failed = await waitForJob(h.engine, id, ended, 20_000);
    expect(failed.errorCode).toBe('result_download_failed');
    h.fake.clearScript();
    h.key.value = null;
    h.engine.keyChanged();

    const db = openDatabase(h.dataDir);
    try {
      const row = db.prepare('SELECT result_output_json AS json FROM jobs WHERE id = ?').get(id) as { json: string };
      db.prepare('UPDATE jobs SET result_output_json = ? WHERE id = ?').run(edit(row.json), id);
    } finally {
      db.close();
    }
    await h.engine.retry(id, { mode: 'download' });
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const claims = h.engine.jobEvents(id).filter((e) => e.toState === 'preparing').length;
    // Before the retry: one claim for the first run. After it, one more.
    expect(claims).toBeLessThanOrEqual(2);
    expect(h.engine.getJob(id)!.message).toBe('Waiting for a FAL key');
    expect(h.engine.getJob(id)!.state).toBe('queued');
  }, 45_000);
}
