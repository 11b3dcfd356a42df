// What a job's line says of its error from the command line. The engine words its errors for the app
// (they are stored once and shown in the app and here): the app's buttons - Test key, a key entered in
// Settings, Download again - become the commands that do the same here, and a job that ended with
// FAL still holding its result says how to fetch it again (the app shows Download again under it).
import { canDownloadAgain } from '../shared/job-retry';
import type { Job } from '../shared/domain';

const RESUME = '`image2model resume`';
export const DOWNLOAD_AGAIN_ADVICE = 'To fetch it again (free): image2model resume --download-again';

/** The app's steps (engine and classify.ts messages) and the command that does the same here. */
const APP_STEPS: readonly [RegExp, string][] = [
  [/press Test key in Settings; waiting jobs continue once it passes\./g, `run ${RESUME}.`],
  [/Enter a working key in Settings; waiting jobs continue after that\./g, `Set FAL_KEY to a working key, then run ${RESUME}.`],
  [/\bDownload again\b/g, '`image2model resume --download-again`'],
];

/**
 * The job's error while it still says why the job stands where it is: waiting (to try again) or ended.
 * A job that went on (preparing... downloading) keeps its last error in the row, no longer true ("Can't
 * reach FAL" on every state line once the connection was back).
 */
export function currentError(job: Job): string | null {
  return job.state === 'queued' || ['failed', 'needs_attention', 'canceled'].includes(job.state) ? job.errorMessage : null;
}

/** `text` (a job's error) in the command line's words. */
export function inCliWords(text: string, job: Pick<Job, 'state' | 'falRequestId' | 'requestFinished'>): string {
  let said = APP_STEPS.reduce((acc, [app, cli]) => acc.replace(app, cli), text);
  if (canDownloadAgain(job) && !said.includes('--download-again')) said = `${said.replace(/\s+$/, '')} ${DOWNLOAD_AGAIN_ADVICE}`;
  return said;
}

/** The error a job's line shows now, in the command line's words (null: none). */
export function cliJobError(job: Job): string | null {
  const error = currentError(job);
  return error === null ? null : inCliWords(error, job);
}
