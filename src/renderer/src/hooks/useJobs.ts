// The job list: loaded once, then kept live by 'job:changed' events (upsert by id, batched per frame
// so a hundred busy jobs cost one render per frame). Actions' answers show at once unless an event
// has overtaken them (lib/job-answers).
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { Job } from '../../../shared/domain';
import { call } from '../api';
import { errorMessage } from '../lib/errors';
import { createJobAnswers } from '../lib/job-answers';
import { useApiEvent } from './useApiEvent';

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
  /** Taken before a call whose answer holds jobs (see `upsert`). */
  mark(): number;
  /** Shows jobs from an answer to a call begun at `since` (mark()), except those an event has overtaken. */
  upsert(jobs: Job[], since: number): void;
}

export function useJobs(): JobsApi {
  const [byId, setById] = useState<ReadonlyMap<string, Job>>(new Map());
  const [loaded, setLoaded] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const pending = useRef<Job[]>([]);
  const frame = useRef<number | null>(null);
  const [answers] = useState(createJobAnswers);

  const show = useCallback((jobs: Job[]) => {
    if (jobs.length === 0) return;
    setById((prev) => {
      const next = new Map(prev);
      for (const job of jobs) next.set(job.id, job);
      return next;
    });
  }, []);

  const load = useCallback(() => {
    const since = answers.mark();
    return call('jobs:list').then(
      (list) => {
        setById((prev) => {
          const next = new Map(list.map((job) => [job.id, job] as const));
          // A job whose event came while the list was read is newer here than in the list.
          for (const [id, job] of prev) if (answers.movedSince(id, since)) next.set(id, job);
          return next;
        });
        setError(null);
        setLoaded(true);
      },
      (err: unknown) => {
        setError(errorMessage(err));
        setLoaded(true);
      },
    );
  }, [answers]);

  const mark = answers.mark;
  const upsert = useCallback((jobs: Job[], since: number) => show(answers.current(jobs, since)), [answers, show]);
  /** One action on one job: its answer, unless an event overtook it. */
  const act = useCallback(
    async (request: () => Promise<Job>) => {
      const since = mark();
      upsert([await request()], since);
    },
    [mark, upsert],
  );

  useApiEvent('job:changed', (job) => {
    answers.eventArrived(job.id);
    pending.current.push(job);
    if (frame.current !== null) return;
    frame.current = requestAnimationFrame(() => {
      frame.current = null;
      const batch = pending.current;
      pending.current = [];
      show(batch);
    });
  });

  useEffect(() => {
    void load();
    return () => {
      if (frame.current !== null) cancelAnimationFrame(frame.current);
    };
  }, [load]);

  const cancel = useCallback((id: string) => act(() => call('jobs:cancel', { id })), [act]);
  const retry = useCallback(
    (id: string, confirm?: boolean, mode?: 'download' | 'generate') => act(() => call('jobs:retry', { id, confirm, mode })),
    [act],
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

  const setModel = useCallback((id: string, endpoint: string) => act(() => call('jobs:setModel', { id, endpoint })), [act]);

  const jobs = useMemo(() => [...byId.values()], [byId]);
  return { jobs, loaded, error, cancel, retry, remove, clearFinished, setModel, mark, upsert };
}
