// The web app with a working key, its FAL the fake server: a fresh pair for each test of a file.
import { test } from '@playwright/test';
import { startFakeFal, type FakeFal } from '../../fake-fal/server';
import type { FakeFalOptions } from '../../fake-fal/types';
import { launchWebApp, type RunningWebApp } from './web-app';

/** Starts the pair before each test and stops it after; read `app` and `fake` inside the tests. */
export function useKeyedAppWithFakeFal(options: FakeFalOptions = { processingMs: 200 }): { app: RunningWebApp; fake: FakeFal } {
  const running = {} as { app: RunningWebApp; fake: FakeFal };
  test.beforeEach(async () => {
    running.fake = await startFakeFal(options);
    running.app = await launchWebApp({ env: { FAL_KEY: 'e2e-good-key-123456' }, falProxy: running.fake.url });
  });
  test.afterEach(async () => {
    await running.app?.stop();
    await running.fake?.close();
  });
  return running;
}
