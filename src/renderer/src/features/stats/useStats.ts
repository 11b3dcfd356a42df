// The stats report for a range; refreshed when a job ends (its request was just recorded).
import { useCallback, useEffect, useState } from 'react';
import type { StatsReport } from '../../../../shared/stats';
import { call } from '../../api';
import { useApiEvent } from '../../hooks/useApiEvent';
import { useRefreshSoon } from '../../hooks/useRefreshSoon';
import { errorMessage } from '../../lib/errors';

export interface StatsState {
  report: StatsReport | null;
  fetchedAt: number;
  /** Whether any request was ever recorded: an empty period of an app that never sent one says "none yet". */
  anyEver: boolean;
  error: string | null;
}

/** Whether a report counts any request. */
const hasRequests = (report: StatsReport) => report.models.length > 0;

export function useStats(from: number | undefined): StatsState {
  const [{ report, fetchedAt, anyEver }, setResult] = useState<Omit<StatsState, 'error'>>({ report: null, fetchedAt: 0, anyEver: false });
  const [error, setError] = useState<string | null>(null);
  const refresh = useCallback(() => {
    (async () => {
      const next = await call('stats:get', from === undefined ? {} : { from });
      // Only an empty period asks again, for all time: are there older requests to point to?
      const ever = hasRequests(next) || (from !== undefined && hasRequests(await call('stats:get', {})));
      return { report: next, anyEver: ever };
    })().then(
      (next) => {
        setResult({ ...next, fetchedAt: Date.now() });
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
  return { report, fetchedAt, anyEver, error };
}
