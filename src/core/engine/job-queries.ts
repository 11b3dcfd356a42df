// What callers read about jobs and spending: the public Job, its journal, its input image and
// output folder, today's and this month's spend, and a wait until the queue is idle.
import { TERMINAL_STATES, type Job } from '../../shared/domain';
import { toAbsolutePath } from '../paths';
import { toJob, type JobRow, type JobStore } from '../queue/store';
import type { JobInputStore } from './job-inputs';
import type { Engine } from './types';

export interface JobQueriesDeps {
  store: JobStore;
  inputs: JobInputStore;
  /** The data folder stored paths are relative to. */
  dataRoot: string;
  now: () => number;
  /** Spend between two times (epoch ms), in USD. */
  spendBetween: (from: number, to: number) => number;
  /** Start of the month `t` falls in (the spending cap's month). */
  monthStart: (t: number) => number;
  /** Jobs this engine's workers are running now. */
  activeWorkers: () => number;
  /** Listens to job events; returns the unsubscribe. */
  onJob: (listener: (job: Job) => void) => () => void;
  /** A stored row with what this engine's worker has shown of it but not written yet (JobWriter.overlay). */
  live: (row: JobRow) => JobRow;
}

export type JobQueries = Pick<Engine, 'listJobs' | 'getJob' | 'jobEvents' | 'inputPath' | 'jobOutputDir' | 'costSummary' | 'waitForIdle'>;

export function createJobQueries(deps: JobQueriesDeps): JobQueries {
  const { store } = deps;
  return {
    listJobs: () => store.list().map((row) => toJob(deps.live(row))),
    getJob: (id) => {
      const row = store.get(id);
      return row ? toJob(deps.live(row)) : null;
    },
    jobEvents: (id) => store.events(id).map(({ at, kind, fromState, toState, message }) => ({ at, kind, fromState, toState, message })),
    inputPath: (id) => {
      // `<job id>_<position>`: one image of a multi-image job; a plain job id: its first image.
      const set = /^(.+)_(\d{1,2})$/.exec(id);
      if (set) {
        const input = deps.inputs.get(set[1]!, Number(set[2]));
        return input ? toAbsolutePath(deps.dataRoot, input.path) : null;
      }
      const row = store.get(id);
      return row ? toAbsolutePath(deps.dataRoot, row.inputPath) : null;
    },
    jobOutputDir: (id) => store.get(id)?.outputDir ?? null,

    costSummary(capUsd) {
      const t = deps.now();
      const d = new Date(t);
      const spent = deps.spendBetween;
      const todayUsd = spent(new Date(d.getFullYear(), d.getMonth(), d.getDate()).getTime(), t + 1);
      const monthUsd = spent(deps.monthStart(t), t + 1);
      // Sends FAL may have charged (answer lost, not settled yet) count against the cap, shown apart.
      const possibleUsd = store.possibleCharges(deps.monthStart(t), t + 1).usd;
      return { todayUsd, monthUsd, possibleUsd, capUsd, capReached: capUsd !== null && monthUsd + possibleUsd >= capUsd };
    },

    waitForIdle() {
      return new Promise<void>((resolve) => {
        const check = () => {
          let idle: boolean;
          try {
            // Own workers first: while they run, the counts (a scan of the queue) need not be read.
            if (deps.activeWorkers() > 0) idle = false;
            else {
              const counts = store.counts();
              idle = counts.queued + counts.active === 0;
            }
          } catch {
            idle = true; // closed: nothing will run any more
          }
          if (idle) {
            clearInterval(timer);
            off();
            resolve();
          }
        };
        const timer = setInterval(check, 50);
        const off = deps.onJob((job) => {
          if (TERMINAL_STATES.includes(job.state)) check();
        });
        check();
      });
    },
  };
}
