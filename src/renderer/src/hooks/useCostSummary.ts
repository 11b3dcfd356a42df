// Spending today and this month; refreshed when a job finishes or the settings (cap) change, and
// taken as the core sends it when a read of FAL's charges and balance ends.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ChannelOutput } from '../../../shared/contract';
import { call } from '../api';
import { useApiEvent } from './useApiEvent';

export type CostSummary = ChannelOutput<'cost:summary'>;

export function useCostSummary(): CostSummary | null {
  const [summary, setSummary] = useState<CostSummary | null>(null);
  const timer = useRef<number | null>(null);
  const refresh = useCallback(() => {
    call('cost:summary').then(setSummary, () => {});
  }, []);
  const refreshSoon = () => {
    if (timer.current !== null) return;
    timer.current = window.setTimeout(() => {
      timer.current = null;
      refresh();
    }, 500);
  };
  useApiEvent('job:changed', (job) => {
    if (job.state === 'succeeded' || job.state === 'failed') refreshSoon();
  });
  useApiEvent('settings:changed', refreshSoon);
  useApiEvent('cost:changed', setSummary);
  useEffect(() => {
    refresh();
    return () => {
      if (timer.current !== null) clearTimeout(timer.current);
    };
  }, [refresh]);
  return summary;
}
