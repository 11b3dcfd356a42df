// "Generate again" asks first when the job's request may have been charged. Since 3f46a5f it does not
// ask when FAL's records show the request charged nothing - but that counted the spend read's
// "no billing event two hours after the job ended, so no charge" too, which is a guess that is read
// again for weeks (FAL lists some charges late). A job given up on while FAL still ran it (its queue
// answering 502s) was sent again with no question: FAL finished the first run as well - paid twice.
import { afterEach, expect, it } from 'vitest';
import { openDatabase } from '../../src/core/db/open';
import { CostStore } from '../../src/core/spend/costs';
import { addOne, createHarness, inState, waitForJob, type Harness } from '../core/engine/harness';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

it('a request taken as not charged only for want of a billing event still asks before generating again', async () => {
  h = await createHarness({ engine: { maxAttempts: 2, useStatusStream: false }, fake: { holdJobs: true } });
  h.fake.script({ op: 'status', fault: { kind: 'infra', status: 502 }, times: Infinity });
  const id = await addOne(h.engine);
  const failed = await waitForJob(h.engine, id, inState('failed'));
  // FAL still runs it. Two hours on, the spend read found no billing event for it and took it as not
  // charged (spend/charges-read.ts), to be read again as FAL may list the charge late.
  const db = openDatabase(h.dataDir);
  try {
    new CostStore(db).record({ requestId: failed.falRequestId!, jobId: id, endpoint: failed.endpoint, at: failed.finishedAt!, units: 0, usd: 0, source: 'no_charge' });
  } finally {
    db.close();
  }
  await expect(h.engine.retry(id, { mode: 'generate' })).rejects.toMatchObject({ code: 'confirmation_required' });
  expect(h.engine.getJob(id)!.state).toBe('failed');
  expect(h.fake.submissions).toHaveLength(1);
});
