// The rule behind Download again (free), shared by jobs:retry and the queue UI: offered whenever FAL
// still holds a result under the stored request id - not only after a download that kept failing.
import { describe, expect, it } from 'vitest';
import { JOB_STATES } from '../../src/shared/domain';
import { canDownloadAgain, type RetryFacts } from '../../src/shared/job-retry';

const facts = (patch: Partial<RetryFacts>): RetryFacts => ({ state: 'failed', falRequestId: 'req-1', requestFinished: false, ...patch });

describe('canDownloadAgain', () => {
  it('is offered for a failed job FAL made a result for, whatever failed after that', () => {
    // result_download_failed, internal (the model could not be stored), a cancel that could not keep it:
    // all are failed jobs with their request id and FAL not done with it.
    expect(canDownloadAgain(facts({}))).toBe(true);
  });

  it('is offered for a job that needs attention while FAL has its request (accepted but not recorded)', () => {
    expect(canDownloadAgain(facts({ state: 'needs_attention' }))).toBe(true);
  });

  it('is not offered when FAL is done with the request (run failed, forgotten, or its result refused by our checks)', () => {
    expect(canDownloadAgain(facts({ requestFinished: true }))).toBe(false);
    expect(canDownloadAgain(facts({ state: 'needs_attention', requestFinished: true }))).toBe(false);
  });

  it('is not offered without a stored request id: there is nothing to fetch', () => {
    expect(canDownloadAgain(facts({ falRequestId: null }))).toBe(false);
    expect(canDownloadAgain(facts({ state: 'needs_attention', falRequestId: null }))).toBe(false);
  });

  it('is offered only in the states a retry starts from (a canceled job never comes back)', () => {
    const offered = JOB_STATES.filter((state) => canDownloadAgain(facts({ state })));
    expect(offered).toEqual(['failed', 'needs_attention']);
  });
});
