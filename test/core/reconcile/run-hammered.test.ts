// "Check FAL's records now" (reconcile:run) runs a forced pass; a call made while a pass runs waited for
// it and then ran its own, one after the other. Hammered (clicks in two windows, the CLI, the background
// check) every call queued a whole pass - each asking FAL's request history for every endpoint, at up to
// 20 s a request when the platform API is slow - so the last click waited for all of them. The calls
// made while a pass runs now share the one pass that starts after it (forced if any of them asked so).
import Database from 'better-sqlite3';
import { afterEach, expect, it } from 'vitest';
import { migrate } from '../../../src/core/db/migrations';
import type { PlatformClient, RequestHistory } from '../../../src/core/fal/platform-client';
import { JobStore } from '../../../src/core/queue/store';
import { createReconciler, DEFAULT_RECONCILE_CONFIG } from '../../../src/core/reconcile/reconciler';
import { newJob } from '../../support/new-job';

let db: Database.Database | undefined;
afterEach(() => db?.close());

it('calls made while a pass runs share the next pass instead of queueing one each', async () => {
  db = new Database(':memory:');
  migrate(db);
  const jobs = new JobStore(db);
  const [job] = jobs.insertMany([newJob()]);
  const now = Date.now();
  db.prepare("UPDATE jobs SET state = 'needs_attention', error_code = 'submit_uncertain', submit_started_at = ?, fal_request_id = NULL WHERE id = ?").run(now - 60_000, job!.id);
  const releases: (() => void)[] = [];
  let asked = 0;
  const client = {
    requests: async (): Promise<RequestHistory> => {
      asked++;
      await new Promise<void>((resolve) => releases.push(resolve));
      return { rows: [], unreadable: [] };
    },
  } as Partial<PlatformClient> as PlatformClient;
  const reconciler = createReconciler({
    jobs,
    now: Date.now,
    platform: () => client,
    config: () => ({ ...DEFAULT_RECONCILE_CONFIG }),
    onJob: () => undefined,
    wake: () => undefined,
    logger: { info: () => undefined, warn: () => undefined },
  });
  const first = reconciler.runOnce({ force: true });
  await new Promise((resolve) => setTimeout(resolve, 10));
  expect(asked).toBe(1);
  // Six more clicks while FAL's platform API is slow to answer.
  const later = Array.from({ length: 6 }, () => reconciler.runOnce({ force: true }));
  let settled = false;
  const all = Promise.all([first, ...later]).then((reports) => {
    settled = true;
    return reports;
  });
  for (let i = 0; i < 20 && !settled; i++) {
    releases.shift()?.();
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  const reports = await all;
  // The pass running, then one more for all the calls made meanwhile.
  expect(asked).toBe(2);
  for (const report of reports) expect(report.waiting.map((w) => w.jobId)).toEqual([job!.id]);
});
