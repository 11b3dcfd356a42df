// A job's line from the command line says what to do from the command line. It quoted the engine's
// words for the app ("press Test key in Settings", a button the CLI does not have), and a job that
// failed for good while fetching its result (FAL still holds it; the app shows Download again) got
// no advice in its line at all.
import { expect, it } from 'vitest';
import { jsonReporter, plainReporter } from '../../src/cli/output';
import type { Job } from '../../src/shared/domain';

const job = (over: Partial<Job>) =>
  ({ id: 'j1', state: 'failed', progress: 0, queuePosition: null, message: null, errorMessage: null, falRequestId: null, requestFinished: false, ...over }) as Job;

const plainLines = (j: Job) => {
  const lines: string[] = [];
  plainReporter((line) => lines.push(line)).job({ id: 'j1', input: 'kettle.png' }, j);
  return lines;
};

it('a used-up balance says to run resume, not to press Test key in Settings', () => {
  const locked = job({
    state: 'queued',
    errorCode: 'balance_used_up',
    errorMessage: 'FAL refused the job: your FAL account is locked (HTTP 403: User is locked). Top up your FAL balance at fal.ai/dashboard/billing, then press Test key in Settings; waiting jobs continue once it passes.',
  });
  const [line] = plainLines(locked);
  expect(line).toContain('Top up your FAL balance at fal.ai/dashboard/billing, then run `image2model resume`.');
  expect(line).not.toMatch(/Test key|Settings/);
});

it('a refused key says to set FAL_KEY, not to enter one in Settings', () => {
  const [line] = plainLines(job({ state: 'queued', errorMessage: 'FAL refused the API key (HTTP 401). Enter a working key in Settings; waiting jobs continue after that.' }));
  expect(line).toContain('Set FAL_KEY to a working key, then run `image2model resume`.');
  expect(line).not.toContain('Settings');
});

it('a job that failed for good fetching a result FAL still holds says how to fetch it again, in every line form', () => {
  const failed = job({ errorCode: 'server_error', errorMessage: 'FAL could not give the result (HTTP 502). Gave up after 5 attempts.', falRequestId: 'req-1' });
  expect(plainLines(failed)[0]).toBe('kettle.png: failed - FAL could not give the result (HTTP 502). Gave up after 5 attempts. To fetch it again (free): image2model resume --download-again');
  const json: { message: string }[] = [];
  jsonReporter((line) => json.push(JSON.parse(line) as { message: string })).job({ id: 'j1', input: 'kettle.png' }, failed);
  expect(json[0]!.message).toContain('To fetch it again (free): image2model resume --download-again');
});

it('names the command where the engine names the Download again button, once', () => {
  const [line] = plainLines(job({ errorMessage: 'The model was made (and paid for), but downloading it kept failing: timeout. Use Download again (free) later; FAL keeps results for a while.', falRequestId: 'req-2' }));
  expect(line).toContain('Use `image2model resume --download-again` (free) later');
  expect(line?.match(/--download-again/g)).toHaveLength(1);
});

it('offers no fetch again when FAL is done with the request, or never had it', () => {
  expect(plainLines(job({ errorMessage: 'FAL could not make a model from this image.', falRequestId: 'req-3', requestFinished: true }))[0]).not.toContain('download-again');
  expect(plainLines(job({ errorMessage: 'The image could not be read.' }))[0]).not.toContain('download-again');
});
