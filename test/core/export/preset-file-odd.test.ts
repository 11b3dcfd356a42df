// The presets file is read whole on every look at the list - now also each time the change watch sees
// it replaced (the CLI, or anything else writing export-presets.json), with the export studio open.
// A file that is no presets file a user could have made must not stall the process that reads it: one
// of many megabytes was read and parsed whole (and all its entries sent to the window), and a named
// pipe in its place (a link to one) blocked the read until something wrote into the pipe. Both are now
// not read, said like any unreadable presets file; the file's own presets are untouched.
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { createPresetStore, PRESETS_FILE } from '../../../src/core/export/preset-store';

const dirs: string[] = [];
const writers: ChildProcess[] = [];
afterEach(() => {
  for (const writer of writers.splice(0)) writer.kill('SIGKILL');
  dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true }));
});
const freshDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'i2m-preset-odd-'));
  dirs.push(dir);
  return dir;
};
const preset = { id: 'mine', label: 'Mine', recipe: { formats: ['glb'] } };

it('a presets file of many megabytes is not read: said, with the size the app reads', () => {
  const dir = freshDir();
  writeFileSync(join(dir, PRESETS_FILE), JSON.stringify({ version: 1, presets: [preset], padding: 'x'.repeat(8 * 1024 * 1024) }));
  const store = createPresetStore(dir);
  expect(store.list().filter((p) => !p.builtIn)).toEqual([]);
  expect(store.problem()).toMatch(/could not be read: it is larger than 4 MiB/);
});

it('a named pipe in place of the presets file is not read (nothing blocks on it); a save replaces it', async () => {
  const dir = freshDir();
  const path = join(dir, PRESETS_FILE);
  execFileSync('mkfifo', [path]);
  // Before, the read waited for a writer: this one comes, late, so the old code ended (with its
  // content as garbage JSON) instead of hanging the test run.
  writers.push(spawn('sh', ['-c', `sleep 2; printf 'not json' > '${path}'`], { stdio: 'ignore' }));
  const store = createPresetStore(dir);
  expect(store.list().filter((p) => !p.builtIn)).toEqual([]);
  expect(store.problem()).toMatch(/could not be read: it is not a file\. Saving a preset replaces it\./);
  // Nothing to keep beside the new file (copying a pipe waits for a writer too).
  await store.save({ label: 'Mine', recipe: { formats: ['glb'] } });
  expect(store.list().filter((p) => !p.builtIn).map((p) => p.label)).toEqual(['Mine']);
  expect(store.problem()).toBeNull();
});
