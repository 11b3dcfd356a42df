// The catalog of generators (FAL and offline) with presets and prices. Read again when the window
// opens and comes back to the front, after asking FAL for its prices when those shown are old
// (lib/price-refresh.ts); an ask that fails keeps the prices shown, quietly.
import { useEffect, useState } from 'react';
import type { ModelSummary } from '../../../shared/models';
import { call } from '../api';
import { shouldAskForPrices, type PriceAsks } from '../lib/price-refresh';

/** One window, one record of its asks (it outlives a remount). */
const asks: PriceAsks = { lastAt: null, lastOk: false, running: false };

export function useModels(): ModelSummary[] | null {
  const [models, setModels] = useState<ModelSummary[] | null>(null);
  useEffect(() => {
    let alive = true;
    let shownJson = '';
    const load = async (): Promise<ModelSummary[]> => {
      const next = await call('models:list');
      const json = JSON.stringify(next);
      // The same list again: no new array, so nothing that reads it renders again.
      if (alive && json !== shownJson) {
        shownJson = json;
        setModels(next);
      }
      return next;
    };
    const check = async () => {
      let shown: ModelSummary[];
      try {
        shown = await load();
      } catch {
        if (alive) setModels((current) => current ?? []);
        return;
      }
      if (!shouldAskForPrices(shown, Date.now(), asks)) return;
      asks.running = true;
      asks.lastAt = Date.now();
      try {
        const answer = await call('prices:refresh');
        asks.lastOk = answer.ok;
        if (answer.ok) await load();
      } catch {
        asks.lastOk = false;
      } finally {
        asks.running = false;
      }
    };
    void check();
    const onFront = () => {
      if (document.visibilityState === 'visible') void check();
    };
    window.addEventListener('focus', onFront);
    document.addEventListener('visibilitychange', onFront);
    return () => {
      alive = false;
      window.removeEventListener('focus', onFront);
      document.removeEventListener('visibilitychange', onFront);
    };
  }, []);
  return models;
}
