// The IPC handlers for what FAL's platform API adds: the billing key, real spend, prices and
// reconciliation. The billing key never leaves main: the page learns only {set, last4, ...}.
import type { Handlers } from '../shared/contract';
import { AppError } from '../shared/result';
import type { FalPlatform } from './fal-platform';
import type { SettingsStore } from './services-types';

type PlatformChannels = 'billingKey:status' | 'billingKey:set' | 'billingKey:clear' | 'spend:sync' | 'spend:jobCosts' | 'prices:refresh' | 'reconcile:run';

export function createPlatformHandlers(falPlatform: FalPlatform, settings: SettingsStore): Pick<Handlers, PlatformChannels> {
  const { billingKeys, spend, prices, reconciler } = falPlatform;
  const summary = () => spend.summary(settings.get().spendingCapUsd);
  return {
    'billingKey:status': async () => billingKeys.status(),
    'billingKey:set': async ({ key, allowWeak }) => {
      const status = billingKeys.set(key, { allowWeak });
      // A new key: asked at once, even where the last key's failing reads wait.
      falPlatform.syncSpendInBackground({ retryNow: true });
      return status;
    },
    'billingKey:clear': async () => billingKeys.clear(),
    // (The window asks this right after the billing key changed.)
    'spend:sync': async () => {
      await falPlatform.syncSpend({ retryNow: true });
      return summary();
    },
    'spend:jobCosts': async ({ ids }) => spend.jobCosts(ids),
    'prices:refresh': async () => {
      const result = await prices.refresh();
      return { ok: result.ok, message: result.message, asOf: prices.fetchedAt() };
    },
    'reconcile:run': async () => reconciler.runOnce({ force: true }),
  };
}

/** For a composition without the platform features (a few unit tests build handlers by hand). */
export function unavailablePlatformHandlers(): Pick<Handlers, PlatformChannels> {
  const unavailable = async (): Promise<never> => {
    throw new AppError('unsupported', "FAL's platform features are not available here.");
  };
  return {
    'billingKey:status': unavailable,
    'billingKey:set': unavailable,
    'billingKey:clear': unavailable,
    'spend:sync': unavailable,
    'spend:jobCosts': unavailable,
    'prices:refresh': unavailable,
    'reconcile:run': unavailable,
  };
}
