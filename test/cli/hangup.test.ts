// Closing the terminal (SIGHUP) mid-run stops the CLI as Ctrl-C does: no new work is sent, the job FAL
// has keeps its request id with its lease given back, and the next `resume` follows it without sending
// (or paying for) it again. The terminal is gone: output has no reader, and that must not crash it.
// The real bin against the fake FAL server, which holds the job until the test lets it finish.
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
  work = mkdtempSync(join(tmpdir(), 'i2m-cli-hangup-'));
  fake = await startFakeFal({ holdJobs: true });
});
afterAll(async () => {
  await stopAllCliRuns();
  await fake.close();
  rmSync(work, { recursive: true, force: true });
});

function storedJobs(dataDir: string) {
  const db = openDatabase(dataDir);
  try {
    return db.prepare('SELECT state, fal_request_id, lease_owner FROM jobs').all() as { state: string; fal_request_id: string | null; lease_owner: string | null }[];
  } finally {
    db.close();
  }
}

it('SIGHUP with the terminal gone: exit 129, the job kept with its request id and no lease; resume finishes it, sent once', async () => {
  const photo = join(work, 'kettle.jpg');
  const second = join(work, 'teapot.jpg');
  writeFileSync(photo, await makeTestJpeg(320, 240, { seed: 91 }));
  writeFileSync(second, await makeTestJpeg(320, 240, { seed: 92 }));
  const dataDir = join(work, 'data');
  const out = join(work, 'out');
  const env = { FAL_KEY: 'cli-test-key-123456' };
  let hungUp = false;
  const run = await runCli(['convert', photo, second, '--concurrency', '1', '--out', out, '--data-dir', dataDir, '--fal-proxy', fake.url, '--json'], {
    env,
    onSpawn: (child) =>
      child.stdout!.on('data', (chunk: Buffer) => {
        if (hungUp || !chunk.toString().includes('"state":"submitted"')) return;
        hungUp = true;
        // The terminal closes: nothing reads the output any more, and the process is told.
        child.stdout!.destroy();
        child.stderr!.destroy();
        child.kill('SIGHUP');
      }),
  });
  expect(hungUp).toBe(true);
  expect({ code: run.code }).toEqual({ code: 129 });
  // One job was with FAL; the other was never sent (no new work after the hang-up).
  expect(fake.submissions).toHaveLength(1);
  const stored = storedJobs(dataDir);
  expect(stored).toHaveLength(2);
  expect(stored.filter((job) => job.fal_request_id !== null)).toEqual([{ state: 'queued', fal_request_id: expect.any(String), lease_owner: null }]);
  expect(stored.every((job) => job.lease_owner === null)).toBe(true);

  fake.setOptions({ holdJobs: false });
  const resumed = await runCli(['resume', '--data-dir', dataDir, '--fal-proxy', fake.url, '--json'], { env });
  expect(resumed.code).toBe(0);
  expect(jsonLines(resumed.stdout).at(-1)).toMatchObject({ type: 'summary', succeeded: 2, failed: 0 });
  // The held job was followed, not sent again; only the one never sent was sent now.
  expect(fake.submissions).toHaveLength(2);
}, 180_000);
