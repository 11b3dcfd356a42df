// A second process on the same data folder for the stats race test: it runs the real reconciler
// once over the uncertain sends it finds, against a stand-in for FAL's request history that lists
// each of them (`adopt`: FAL received it) or none (`absent`: FAL never did, settle time over).
// Prints the reconciler's report as one JSON line.
import { randomUUID } from 'node:crypto';
import { openDatabase } from '../../../src/core/db/open';
import type { PlatformClient, RequestRow } from '../../../src/core/fal/platform-client';
import { JobStore } from '../../../src/core/queue/store';
import { createReconciler, DEFAULT_RECONCILE_CONFIG } from '../../../src/core/reconcile/reconciler';

const [dataDir, mode] = process.argv.slice(2) as [string, 'adopt' | 'absent'];
const db = openDatabase(dataDir);
const jobs = new JobStore(db);
const history = {
  async requests() {
    const rows = jobs
      .list()
      .filter((job) => mode === 'adopt' && job.state === 'needs_attention' && job.submitStartedAt !== null)
      .map((job) => ({
        request_id: randomUUID(),
        endpoint_id: job.endpoint,
        sent_at: new Date(job.submitStartedAt!).toISOString(),
        started_at: null,
        ended_at: null,
        status_code: null,
        duration: null,
        json_input: JSON.parse(job.submitInputJson!) as Record<string, unknown>,
      })) as RequestRow[];
    return { rows, unreadable: [] };
  },
} as unknown as PlatformClient;
const reconciler = createReconciler({
  jobs,
  now: Date.now,
  platform: () => history,
  config: () => ({ ...DEFAULT_RECONCILE_CONFIG, settleMs: 0 }),
  onJob: () => undefined,
  wake: () => undefined,
  logger: { info: () => undefined, warn: () => undefined },
});
const report = await reconciler.runOnce({ force: true });
db.close();
process.stdout.write(JSON.stringify(report) + '\n');
