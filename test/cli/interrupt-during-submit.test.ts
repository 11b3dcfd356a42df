// Ctrl-C while a submit is on its way to FAL: the CLI waits for FAL's answer (the request id that
// keeps the job from being sent, and paid for, twice). It says so, with how to stop at once; a second
// Ctrl-C then ends the run at once and leaves the job needing attention (never back in the queue),
// for `resume` to settle from FAL's records. The real bin against the fake FAL server, whose answer
// to the submit never comes.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { makeTestJpeg } from '../fixtures/make-glb';
import { startFakeFal, type FakeFal } from '../fake-fal/server';
import { openDatabase } from '../../src/core/db/open';
import { jsonLines, runCli, stopAllCliRuns } from '../support/cli-process';

let work = '';
let fake: FakeFal;
beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'i2m-cli-submit-int-'));
  fake = await startFakeFal({ processingMs: 500 });
});
afterAll(async () => {
  await stopAllCliRuns();
  await fake.close();
  rmSync(work, { recursive: true, force: true });
});

function storedJobs(dataDir: string) {
  const db = openDatabase(dataDir);
  try {
    return db.prepare('SELECT input_name, state, error_code, error_message, fal_request_id, lease_owner FROM jobs').all() as {
      input_name: string;
      state: string;
      error_code: string | null;
      error_message: string | null;
      fal_request_id: string | null;
      lease_owner: string | null;
    }[];
  } finally {
    db.close();
  }
}

it('says what it waits for after Ctrl-C during a submit; a second Ctrl-C stops at once and the job needs attention', async () => {
  const photo = join(work, 'mug.jpg');
  writeFileSync(photo, await makeTestJpeg(640, 480, { seed: 21 }));
  const dataDir = join(work, 'data');
  // FAL takes the job but its answer never comes back.
  fake.script({ op: 'submit', fault: { kind: 'hang', afterHandling: true } });
  let stderrSoFar = '';
  let secondSent = false;
  const result = await runCli(['convert', photo, '--out', join(work, 'out'), '--data-dir', dataDir, '--fal-proxy', fake.url, '--json'], {
    env: { FAL_KEY: 'cli-test-key-123456' },
    interruptAfter: (line) => line.includes('"message":"Sending the job to FAL"'),
    onSpawn: (child) => {
      child.stderr!.on('data', (chunk: Buffer) => {
        stderrSoFar += chunk.toString();
        if (!secondSent && stderrSoFar.includes('Press Ctrl-C again')) {
          secondSent = true;
          child.kill('SIGINT');
        }
      });
    },
  });
  const { stderr } = result;

  expect({ code: result.code, stderr }).toMatchObject({ code: 130 });
  expect(stderr).toMatch(/Waiting for FAL's answer to sending mug\.jpg \(up to 60 s\).*never sent, or paid for, twice/);
  expect(stderr).toContain('Press Ctrl-C again to stop now');
  expect(stderr).toMatch(/Stopped without FAL's answer: mug\.jpg needs attention.*image2model resume/);
  // The summary was printed before the wait and stays the last JSON line.
  expect(jsonLines(result.stdout).at(-1)).toMatchObject({ type: 'summary', pending: 1 });
  expect(fake.submissions).toHaveLength(1);
  // Settled now, not left to whichever process notices the dead lease: needs attention, no lease.
  const [stored] = storedJobs(dataDir);
  expect(storedJobs(dataDir)).toEqual([{ input_name: 'mug.jpg', state: 'needs_attention', error_code: 'submit_interrupted', error_message: expect.any(String), fal_request_id: null, lease_owner: null }]);
  // The CLI stopped, not the app: the job's words must not blame the app.
  expect(stored!.error_message).not.toMatch(/^The app stopped/);
  expect(stored!.error_message).toMatch(/image2model command/);
}, 120_000);
