// One reconciliation pass over a data folder, as `resume` runs it, with no settle time (the fake FAL
// lists a request at once): the kill tests settle every uncertain submit from FAL's records with it.
import { openDatabase } from '../../src/core/db/open';
import { createPlatformClient } from '../../src/core/fal/platform-client';
import { JobStore } from '../../src/core/queue/store';
import { createReconciler, DEFAULT_RECONCILE_CONFIG, type ReconcileReport } from '../../src/core/reconcile/reconciler';

export async function reconcileOnce(dataDir: string, key: string, proxyUrl: string): Promise<ReconcileReport> {
  const db = openDatabase(dataDir);
  try {
    const reconciler = createReconciler({
      jobs: new JobStore(db),
      now: Date.now,
      platform: () => createPlatformClient({ key, proxyUrl }),
      config: () => ({ ...DEFAULT_RECONCILE_CONFIG, settleMs: 0 }),
      onJob: () => undefined,
      wake: () => undefined,
      logger: { info: () => undefined, warn: () => undefined },
    });
    return await reconciler.runOnce({ force: true });
  } finally {
    db.close();
  }
}
