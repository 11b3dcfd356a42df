// The stats report for a range; refreshed when a job ends (its request was just recorded).
import { useCallback, useEffect, useRef, useState } from 'react';
import type { StatsReport } from '../../../../shared/stats';
import { call } from '../../api';
import { useApiEvent } from '../../hooks/useApiEvent';
import { errorMessage } from '../../lib/errors';

export function useStats(from: number | undefined): { report: StatsReport | null; fetchedAt: number; error: string | null } {
  const [{ report, fetchedAt }, setResult] = useState<{ report: StatsReport | null; fetchedAt: number }>({ report: null, fetchedAt: 0 });
  const [error, setError] = useState<string | null>(null);
  const timer = useRef<number | null>(null);
  const refresh = useCallback(() => {
    call('stats:get', from === undefined ? {} : { from }).then(
      (next) => {
        setResult({ report: next, fetchedAt: Date.now() });
        setError(null);
      },
      (err: unknown) => setError(errorMessage(err)),
    );
  }, [from]);
  useApiEvent('job:changed', (job) => {
    if (!['succeeded', 'failed', 'canceled', 'needs_attention', 'queued'].includes(job.state) || timer.current !== null) return;
    timer.current = window.setTimeout(() => {
      timer.current = null;
      refresh();
    }, 800);
  });
  useEffect(() => {
    refresh();
    return () => {
      if (timer.current !== null) clearTimeout(timer.current);
      timer.current = null;
    };
  }, [refresh]);
  return { report, fetchedAt, error };
}
