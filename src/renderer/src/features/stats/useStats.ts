// The stats report for a range; refreshed when a job ends (its request was just recorded).
import { useCallback, useEffect, useState } from 'react';
import type { StatsReport } from '../../../../shared/stats';
import { call } from '../../api';
import { useApiEvent } from '../../hooks/useApiEvent';
import { useRefreshSoon } from '../../hooks/useRefreshSoon';
import { errorMessage } from '../../lib/errors';

export function useStats(from: number | undefined): { report: StatsReport | null; fetchedAt: number; error: string | null } {
  const [{ report, fetchedAt }, setResult] = useState<{ report: StatsReport | null; fetchedAt: number }>({ report: null, fetchedAt: 0 });
  const [error, setError] = useState<string | null>(null);
  const refresh = useCallback(() => {
    call('stats:get', from === undefined ? {} : { from }).then(
      (next) => {
        setResult({ report: next, fetchedAt: Date.now() });
        setError(null);
      },
      (err: unknown) => setError(errorMessage(err)),
    );
  }, [from]);
  const refreshSoon = useRefreshSoon(refresh, 800);
  useApiEvent('job:changed', (job) => {
    if (['succeeded', 'failed', 'canceled', 'needs_attention', 'queued'].includes(job.state)) refreshSoon();
  });
  useEffect(refresh, [refresh]);
  return { report, fetchedAt, error };
}
