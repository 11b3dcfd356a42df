// --json job lines say what the job does now: once a job went on after an error it waited out
// ("Can't reach FAL"), its later lines (submitted, running...) no longer carry that error as their
// message - as the terminal and plain lines already do.
import { expect, it } from 'vitest';
import { jsonReporter } from '../../src/cli/output';
import type { Job } from '../../src/shared/domain';

const job = (state: Job['state'], message: string | null, errorMessage: string | null) =>
  ({ id: 'j1', state, progress: 40, queuePosition: null, message, errorMessage, falRequestId: null, requestFinished: false }) as Job;

it("a job that went on after an offline wait is not reported as still unable to reach FAL", () => {
  const lines: Record<string, unknown>[] = [];
  const reporter = jsonReporter((line) => lines.push(JSON.parse(line) as Record<string, unknown>));
  const offline = "Can't reach FAL. Waiting for the network...";
  reporter.job({ id: 'j1', input: 'photo.jpg' }, job('queued', null, offline));
  reporter.job({ id: 'j1', input: 'photo.jpg' }, job('running', 'Generating', offline));
  reporter.job({ id: 'j1', input: 'photo.jpg' }, job('failed', null, 'FAL refused the image'));
  expect(lines.map((l) => [l.state, l.message])).toEqual([
    ['queued', offline],
    ['running', 'Generating'],
    ['failed', 'FAL refused the image'],
  ]);
});
