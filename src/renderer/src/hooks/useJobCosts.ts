// Real costs of finished jobs (spend:jobCosts): read when the set of jobs changes, when a job finishes,
// and every minute (FAL's billing records arrive later, with the app's background spend sync).
import { useCallback, useEffect, useState } from 'react';
import { call } from '../api';
import type { JobCost } from '../lib/cost-text';
import { useApiEvent } from './useApiEvent';
import { useRefreshSoon } from './useRefreshSoon';

const REFRESH_MS = 60_000;
const EMPTY: ReadonlyMap<string, JobCost> = new Map();

export function useJobCosts(jobIds: readonly string[]): ReadonlyMap<string, JobCost> {
  const [costs, setCosts] = useState<ReadonlyMap<string, JobCost>>(EMPTY);
  const key = [...jobIds].sort().join(',');

  const refresh = useCallback(() => {
    const ids = key ? key.split(',').slice(0, 1000) : [];
    // Nothing to ask about (costs of jobs no longer shown are simply not looked up).
    if (ids.length === 0) return;
    call('spend:jobCosts', { ids }).then(
      (list) => setCosts(new Map(list.map((cost) => [cost.jobId, cost]))),
      // Without the platform features (or offline) the estimates stand alone.
      () => {},
    );
  }, [key]);

  const refreshSoon = useRefreshSoon(refresh, 500);
  useApiEvent('job:changed', (job) => {
    if (job.state === 'succeeded' || job.state === 'failed' || job.state === 'canceled') refreshSoon();
  });

  useEffect(() => {
    refresh();
    const every = window.setInterval(refresh, REFRESH_MS);
    return () => window.clearInterval(every);
  }, [refresh]);

  return costs;
}
