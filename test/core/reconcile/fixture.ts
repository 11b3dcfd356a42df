// A reconciler over an engine harness's data folder, as the app runs one beside the engine, and the
// teardown every reconciliation test needs (reconciler, its database connection, the harness).
import { afterEach } from 'vitest';
import { openDatabase, type Db } from '../../../src/core/db/open';
import { createPlatformClient, type PlatformClientOptions } from '../../../src/core/fal/platform-client';
import { JobStore } from '../../../src/core/queue/store';
import { createReconciler, DEFAULT_RECONCILE_CONFIG, type ReconcileConfig, type Reconciler, type ReconcilerDeps } from '../../../src/core/reconcile/reconciler';
import { createHarness, TEST_KEY, type Harness } from '../engine/harness';

export interface ReconcileFixture {
  /** An engine harness (fake FAL, data folder), closed after the test. */
  harness(opts?: Parameters<typeof createHarness>[0]): Promise<Harness>;
  /** A reconciler on the harness's folder; the platform client asks the fake FAL unless told otherwise; `clock`: its time (default Date.now). */
  reconciler(
    h: Harness,
    opts?: { platform?: Partial<PlatformClientOptions>; config?: Partial<ReconcileConfig>; logger?: ReconcilerDeps['logger']; clock?: () => number },
  ): Reconciler;
}

/** Call at the top level of a test file: registers the teardown and returns the builders. */
export function useReconcileFixture(): ReconcileFixture {
  let h: Harness | undefined;
  let db: Db | undefined;
  let reconciler: Reconciler | undefined;
  afterEach(async () => {
    await reconciler?.stop();
    db?.close();
    await h?.close();
    h = db = reconciler = undefined;
  });
  return {
    async harness(opts) {
      h = await createHarness(opts);
      return h;
    },
    reconciler(harness, opts = {}) {
      db = openDatabase(harness.dataDir);
      reconciler = createReconciler({
        jobs: new JobStore(db),
        now: opts.clock ?? Date.now,
        platform: () => createPlatformClient({ key: TEST_KEY, proxyUrl: harness.fake.url, retries: 0, ...opts.platform }),
        config: () => ({ ...DEFAULT_RECONCILE_CONFIG, ...opts.config }),
        onJob: () => undefined,
        wake: () => undefined,
        logger: opts.logger ?? { info: () => undefined, warn: () => undefined },
      });
      return reconciler;
    },
  };
}
