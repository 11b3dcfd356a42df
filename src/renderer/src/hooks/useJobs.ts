// The job list: loaded once, then kept live by 'job:changed' events (upsert by id, batched per frame
// so a hundred busy jobs cost one render per frame).
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { Job } from '../../../shared/domain';
import { call } from '../api';
import { errorMessage } from '../lib/errors';
import { useApiEvent } from './useApiEvent';

/** When an event raced the initial list, keep whichever copy has moved further. */
const TERMINAL_STATES: readonly Job['state'][] = ['succeeded', 'failed', 'canceled', 'needs_attention'];

function fresher(a: Job, b: Job): Job {
  const aDone = TERMINAL_STATES.includes(a.state);
  const bDone = TERMINAL_STATES.includes(b.state);
  if (aDone !== bDone) return aDone ? a : b;
  return a.progress >= b.progress ? a : b;
}

export interface JobsApi {
  jobs: Job[];
  loaded: boolean;
  error: string | null;
  cancel(id: string): Promise<void>;
  retry(id: string, confirm?: boolean, mode?: 'download' | 'generate'): Promise<void>;
  remove(id: string): Promise<void>;
  clearFinished(): Promise<number>;
  /** Another generator for a waiting job that never left for FAL. */
  setModel(id: string, endpoint: string): Promise<void>;
  /** Adds jobs the app just accepted (before their first event arrives). */
  upsert(jobs: Job[]): void;
}

export function useJobs(): JobsApi {
  const [byId, setById] = useState<ReadonlyMap<string, Job>>(new Map());
  const [loaded, setLoaded] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const pending = useRef<Job[]>([]);
  const frame = useRef<number | null>(null);

  const upsert = useCallback((jobs: Job[]) => {
    if (jobs.length === 0) return;
    setById((prev) => {
      const next = new Map(prev);
      for (const job of jobs) next.set(job.id, job);
      return next;
    });
  }, []);

  const load = useCallback(
    () =>
      call('jobs:list').then(
        (list) => {
          setById((prev) => {
            const next = new Map(list.map((job) => [job.id, job] as const));
            for (const [id, job] of prev) {
              const listed = next.get(id);
              if (listed) next.set(id, fresher(job, listed));
            }
            return next;
          });
          setError(null);
          setLoaded(true);
        },
        (err: unknown) => {
          setError(errorMessage(err));
          setLoaded(true);
        },
      ),
    [],
  );

  useApiEvent('job:changed', (job) => {
    pending.current.push(job);
    if (frame.current !== null) return;
    frame.current = requestAnimationFrame(() => {
      frame.current = null;
      const batch = pending.current;
      pending.current = [];
      upsert(batch);
    });
  });

  useEffect(() => {
    void load();
    return () => {
      if (frame.current !== null) cancelAnimationFrame(frame.current);
    };
  }, [load]);

  const cancel = useCallback(async (id: string) => upsert([await call('jobs:cancel', { id })]), [upsert]);
  const retry = useCallback(
    async (id: string, confirm?: boolean, mode?: 'download' | 'generate') => upsert([await call('jobs:retry', { id, confirm, mode })]),
    [upsert],
  );
  const remove = useCallback(async (id: string) => {
    await call('jobs:remove', { id });
    setById((prev) => {
      const next = new Map(prev);
      next.delete(id);
      return next;
    });
  }, []);
  const clearFinished = useCallback(async () => {
    const { removed } = await call('jobs:clearFinished');
    await load(); // the app decides what "finished" means; the fresh list drops what it removed
    return removed;
  }, [load]);

  const setModel = useCallback(async (id: string, endpoint: string) => upsert([await call('jobs:setModel', { id, endpoint })]), [upsert]);

  const jobs = useMemo(() => [...byId.values()], [byId]);
  return { jobs, loaded, error, cancel, retry, remove, clearFinished, setModel, upsert };
}
