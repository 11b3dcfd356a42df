// Which "again" a finished job offers. One rule for the engine (jobs:retry) and the queue UI, so the
// app never hides a free Download again the engine would carry out, nor offers one it would refuse.
import type { Job } from './domain';

export type RetryFacts = Pick<Job, 'state' | 'falRequestId' | 'requestFinished'>;

/**
 * Download again (free): FAL has (or is making) a result under the stored request id, whatever ended
 * the job after that - a download that kept failing, a model this computer could not store, a cancel
 * that came after FAL finished. Not when FAL is done with the request (it failed the run, forgot it,
 * or its result failed our checks: fetching the same file again cannot help).
 */
export function canDownloadAgain(job: RetryFacts): boolean {
  return (job.state === 'failed' || job.state === 'needs_attention') && job.falRequestId !== null && !job.requestFinished;
}
