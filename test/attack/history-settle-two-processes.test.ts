// The app and the CLI settle possible charges from FAL's request history on one data folder. A pass
// reads what is unsettled, then asks FAL; another process may settle the same request meanwhile (or
// FAL's billing records may come in). The late pass settled it again on what it had read: the job's
// message said what FAL's records showed twice, and its journal noted the lookup twice.
import { afterEach, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../src/core/db/open';
import { createPlatformClient, type PlatformClient } from '../../src/core/fal/platform-client';
import { createHistorySettler } from '../../src/core/spend/history-settle';
import { addOne, createHarness, inState, TEST_KEY, waitForJob, type Harness } from '../core/engine/harness';

let h: Harness | undefined;
const dbs: Db[] = [];
afterEach(async () => {
  for (const db of dbs.splice(0)) db.close();
  await h?.close();
  h = undefined;
});

it('a request another process settled while this one asked FAL is not settled again', async () => {
  h = await createHarness({ engine: { maxAttempts: 2, useStatusStream: false }, fake: { processingMs: 200 } });
  h.fake.script({ op: 'status', fault: { kind: 'infra', status: 502 }, times: Infinity });
  const id = await addOne(h.engine);
  const failed = await waitForJob(h.engine, id, inState('failed'));
  await h.fake.waitFor(failed.falRequestId!, 'COMPLETED');

  const client = createPlatformClient({ key: TEST_KEY, proxyUrl: h.fake.url, retries: 0 });
  let release = () => {};
  let asked = () => {};
  const askedFal = new Promise<void>((resolve) => (asked = resolve));
  const held: PlatformClient = {
    ...client,
    requests: async (query) => {
      asked();
      await new Promise<void>((resolve) => (release = resolve));
      return client.requests(query);
    },
  };
  const settler = () => {
    const db = openDatabase(h!.dataDir);
    dbs.push(db);
    return createHistorySettler({ db });
  };
  // The CLI's pass reads the request as unsettled and asks FAL; the app's pass settles it meanwhile.
  const late = settler()(held);
  await askedFal;
  expect((await settler()(client)).settled).toHaveLength(1);
  const once = h.engine.getJob(id)!.errorMessage;
  release();
  expect((await late).settled).toEqual([]);

  const job = h.engine.getJob(id)!;
  expect(job.errorMessage).toBe(once);
  expect(job.errorMessage!.match(/FAL's request history/g)).toHaveLength(1);
  expect(h.engine.jobEvents(id).filter((e) => /request history shows/.test(e.message ?? ''))).toHaveLength(1);
});
