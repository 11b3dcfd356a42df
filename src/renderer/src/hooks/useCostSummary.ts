// Spending today and this month; refreshed when a job finishes or the settings (cap) change, and
// taken as the core sends it when a read of FAL's charges and balance ends.
import { useCallback, useEffect, useState } from 'react';
import type { ChannelOutput } from '../../../shared/contract';
import { call } from '../api';
import { useApiEvent } from './useApiEvent';
import { useRefreshSoon } from './useRefreshSoon';

export type CostSummary = ChannelOutput<'cost:summary'>;

export function useCostSummary(): CostSummary | null {
  const [summary, setSummary] = useState<CostSummary | null>(null);
  const refresh = useCallback(() => {
    call('cost:summary').then(setSummary, () => {});
  }, []);
  const refreshSoon = useRefreshSoon(refresh, 500);
  useApiEvent('job:changed', (job) => {
    if (job.state === 'succeeded' || job.state === 'failed') refreshSoon();
  });
  useApiEvent('settings:changed', refreshSoon);
  useApiEvent('cost:changed', setSummary);
  useEffect(refresh, [refresh]);
  return summary;
}
