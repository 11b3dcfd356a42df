// The words a job that may be charged ends with, and what replaces them once FAL's request history has
// settled it (history-settle.ts): the job kept saying "may be charged" after its charge was known.
// The engine writes these sentences (engine/policy.ts, engine/cancel-steps.ts); settling cuts the
// message at the first of them and says what FAL's records showed instead.
import { shownTime } from '../reconcile/messages';

/** Gave up asking FAL about the request (policy.ts givenUp). */
export const MAY_STILL_FINISH =
  'FAL may still finish this job, and charges for it only if it does: it counts as "may be charged" until FAL\'s records settle it. Use Download again (free) to ask FAL again.';
/** A cancel after FAL said COMPLETED whose result could not be read (cancel-steps.ts). */
export const RESULT_NOT_KNOWN =
  'Whether FAL made the model is not known, and FAL charges only if it did: it counts as "may be charged" until FAL\'s records settle it. Use Download again (free) to ask FAL again.';
/** Canceled after FAL began the run (cancel-steps.ts). */
export const STARTED_MAY_CHARGE = 'It had already started, so FAL may still charge for it.';
/** Canceled here, FAL not told (cancel-steps.ts): cut before these words. */
export const NOT_TOLD_NO_KEY = ', so it may still run and be charged.';
export const NOT_TOLD = '; it may still run and be charged.';

const UNCERTAIN = [MAY_STILL_FINISH, RESULT_NOT_KNOWN, STARTED_MAY_CHARGE, NOT_TOLD_NO_KEY, NOT_TOLD];

export interface SettledJob {
  state: string;
  message: string;
  /** Download again is offered (shared/job-retry.ts canDownloadAgain) once it is settled. */
  canDownloadAgain: boolean;
}

/** The job's message once FAL's request history showed it `charged` or not, checked at `checkedAt`. */
export function settledMessage(job: SettledJob, charged: boolean, checkedAt: number): string {
  const cut = UNCERTAIN.map((words) => job.message.indexOf(words)).filter((at) => at >= 0);
  let base = (cut.length > 0 ? job.message.slice(0, Math.min(...cut)) : job.message).trim();
  if (base !== '' && !/[.!?]$/.test(base)) base += '.';
  const records = `FAL's request history (checked ${shownTime(checkedAt)}) shows`;
  const said = charged
    ? `${records} FAL finished it: it was charged.${job.canDownloadAgain ? ' Use Download again (free) to fetch its model.' : ''}`
    : `${records} its run ended in a server error or never started: FAL did not charge it.${job.state === 'failed' ? ' Generating it again is charged once, not twice.' : ''}`;
  return base === '' ? said : `${base} ${said}`;
}
