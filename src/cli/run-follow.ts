// Following a run's jobs to the end: each change reported, and the wait ended once every job is done -
// or once only jobs the spending cap (or a failed disk) holds are left, or the queue cannot go on (no
// key, a refused key, a used-up balance), with what to tell the user.
import type { Engine } from '../core/engine';
import { TERMINAL_STATES, type Job, type QueueState } from '../shared/domain';
import type { JobView, Reporter } from './output';

export const isTerminal = (job: Job) => TERMINAL_STATES.includes(job.state);

export interface RunFollow {
  /** This run's jobs, by id, as the reports name them. */
  readonly views: Map<string, JobView>;
  /** Resolves when the run's wait is over (see the header), or end() was called. */
  readonly finished: Promise<void>;
  end(): void;
  /** Every job is in `views`: from now on "all done" may end the wait. */
  startFollowing(): void;
  /** Nothing left to wait for. */
  settled(): boolean;
  /** Why the queue cannot go on, in the CLI's words; null while it can. */
  readonly blockedMessage: string | null;
  /** FAL jobs wait for a key this run does not have (FAL_KEY unset). */
  readonly noKey: boolean;
  off(): void;
}

export function followRun(engine: Engine, reporter: Reporter): RunFollow {
  const views = new Map<string, JobView>();
  let finishedResolve: () => void = () => {};
  const finished = new Promise<void>((r) => (finishedResolve = r));
  let blockedMessage: string | null = null;
  let noKey = false;

  // A job removed meanwhile (from the app, once another process finished or canceled it) is done
  // for this run too: waiting for it would never end.
  const allDone = () => [...views.keys()].every((id) => {
    const job = engine.getJob(id);
    return job === null || isTerminal(job);
  });

  // Set once every job of this run is in `views`: "all done" over a partial list would end the wait early.
  let following = false;
  // The spending cap is reached (or the disk failed a save): this run's jobs FAL already has (sent, so
  // paid) are still followed and their models written; the run ends once only jobs it holds are left.
  let capHolds = false;
  const heldByCap = (job: Job) => job.state === 'queued' && job.falRequestId === null;
  const onlyHeldLeft = () => [...views.keys()].every((id) => {
    const job = engine.getJob(id);
    return job === null || isTerminal(job) || heldByCap(job);
  });
  const settled = () => allDone() || (capHolds && onlyHeldLeft());
  const onJob = (job: Job) => {
    const view = views.get(job.id);
    if (!view) return;
    reporter.job(view, job);
    if (following && settled()) finishedResolve();
  };
  /** The offline notice last printed: said once, not at every probe (each one sends a queue change). */
  let offlineNoted: string | null = null;
  /** A slow disk was said (once while it lasts: the state is sent again as counts change). */
  let slowNoted = false;
  const onQueue = (state: QueueState) => {
    if (state.status === 'disk_slow' && !slowNoted) reporter.note({ code: 'disk_slow', message: state.message ?? 'Saving to disk is taking unusually long; jobs wait until the disk answers.' });
    slowNoted = state.status === 'disk_slow';
    if (state.status !== 'offline' && offlineNoted !== null) {
      offlineNoted = null;
      if (state.status === 'running') reporter.note({ code: 'online', message: 'FAL can be reached again.' });
    }
    if (state.status === 'no_key') {
      // The engine's message names the app's Settings, whose key the CLI does not read.
      noKey = true;
      blockedMessage = `Jobs that run on FAL wait for a key: run \`FAL_KEY=your-key image2model resume\`. The CLI reads the key only from FAL_KEY, not from the app's Settings; the app can also run them offline.`;
      finishedResolve();
    } else if (state.status === 'key_rejected') {
      blockedMessage = state.message ?? `The queue is paused (${state.status}).`;
      finishedResolve();
    } else if (state.status === 'balance_used_up') {
      // The engine's message names the app's Test key; from here, a new run tries the jobs again.
      blockedMessage = 'Your FAL balance is used up: FAL refused the jobs (nothing was charged; they stay queued). Top up at fal.ai/dashboard/billing, then run `image2model resume`.';
      finishedResolve();
    } else if (state.status === 'spending_cap' && !state.capStarting) {
      // (A cap used up by jobs already started is not reached yet: they are sent and followed first.)
      capHolds = true;
      blockedMessage = `${state.message ?? "This month's spending cap is reached."} The cap is set in the app's Settings; raise it there, then run \`image2model resume\` for the jobs it holds.`;
    } else if (state.status === 'disk_error') {
      // As the cap: jobs FAL already has are followed; the ones not sent stay queued for a later run.
      capHolds = true;
      blockedMessage = `${state.message ?? 'Paused: the disk reported an error while saving.'} From the command line: check the disk, then run \`image2model resume\`.`;
    } else if (state.status === 'offline') {
      const message = state.message ?? 'Offline: waiting for the network...';
      if (message !== offlineNoted) reporter.note({ code: 'offline', message });
      offlineNoted = message;
    } else if (state.status === 'running') {
      capHolds = false;
      blockedMessage = null;
    }
    // A removed job sends no job event, only a queue change.
    if (following && settled()) finishedResolve();
  };
  const offs = [engine.on('job', onJob), engine.on('queue', onQueue)];

  return {
    views,
    finished,
    end: () => finishedResolve(),
    startFollowing: () => void (following = true),
    settled,
    get blockedMessage() {
      return blockedMessage;
    },
    get noKey() {
      return noKey;
    },
    off: () => offs.forEach((off) => off?.()),
  };
}
