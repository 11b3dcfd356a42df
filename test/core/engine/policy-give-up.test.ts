// What giving up after passing trouble ends a job with, by the step that failed. A download that kept
// failing gave up as "server_error" - the code of a job whose run FAL may not have made - though FAL had
// made the model (and charged for it); it ends as the download it was now, with a free Download again.
// Asking FAL about the request gives up saying the job may be charged, as Settings > Spending counts it.
import { expect, it } from 'vitest';
import type { Classification } from '../../../src/core/fal/classify';
import { decide, type PolicyInput } from '../../../src/core/engine/policy';

const lastTry: PolicyInput = { attempts: 2, maxAttempts: 3, rateLimitHits: 0, now: 0, backoff: { baseMs: 1000, capMs: 60_000 }, random: () => 0.5 };
const trouble: Classification = { kind: 'transient', code: 'server_error', message: 'The download server had a problem (HTTP 503).' };

it('a model download that kept failing ends as a failed download (charged, Download again free)', () => {
  expect(decide(trouble, { ...lastTry, phase: 'download' })).toMatchObject({
    kind: 'fail',
    code: 'result_download_failed',
    requestDone: false,
    message: expect.stringMatching(/^The model was made \(and paid for\), but downloading it kept failing: The download server had a problem \(HTTP 503\)\. Gave up after 3 attempts\. Use Download again \(free\)/),
  });
});

it.each(['status', 'result'] as const)('giving up on FAL answering the %s says it may be charged, and keeps Download again', (phase) => {
  const c: Classification = { kind: 'transient', code: 'connection_lost', message: 'The connection to FAL was interrupted.' };
  expect(decide(c, { ...lastTry, phase })).toMatchObject({ kind: 'fail', code: 'connection_lost', requestDone: false, message: expect.stringMatching(/Gave up after 3 attempts\. FAL may still finish this job.*"may be charged".*Download again \(free\)/) });
});

it('giving up on an upload (nothing sent) says nothing of a charge', () => {
  const c: Classification = { kind: 'transient', code: 'timeout', message: 'FAL did not answer in time (ETIMEDOUT).' };
  expect(decide(c, { ...lastTry, phase: 'upload' })).toEqual({ kind: 'fail', code: 'timeout', message: 'FAL did not answer in time (ETIMEDOUT). Gave up after 3 attempts.', requestDone: false, extra: { attempts: 3 } });
});
