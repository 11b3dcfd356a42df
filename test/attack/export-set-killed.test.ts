// Attack: an export of several files killed (SIGKILL, a crash) while it gave the set its names left half
// a set under real names (chair.glb and chair.obj, no MTL or texture) and hidden .tmp-* files in the
// user's folder for good; the next export went round them (chair-2.*). Now the next export into that
// folder cleans up after the killed one first: the names of the set it never completed, and its temp
// files. A set that was complete is kept; a live export's files (another process) and every file of
// the user's - even one named like a temp file - are left alone.
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { copyToFreePath } from '../../src/core/auto-export';
import { writeNewFiles } from '../../src/core/export/write';
import type { ExportFile } from '../../src/core/export/pipeline';
import { spawnGroup, stopGroup } from '../support/process-group';

const CHILD = join(import.meta.dirname, 'export-set-kill-child.ts');
const SET = (stem: string) => [`${stem}.glb`, `${stem}.obj`, `${stem}.mtl`, `${stem}_texture0.png`];
const before = { 'notes.txt': 'mine', '.tmp-0123456789ab-chair.glb': 'mine too, named like a temp file' };
const text = (s: string) => new TextEncoder().encode(s);
const filesFor = (stem: string): ExportFile[] => SET(stem).map((name) => ({ name, format: 'obj', data: text(`${name} of this run`), triangles: null }));

let out: string;
let child: ChildProcess | undefined;
beforeEach(() => {
  out = mkdtempSync(join(tmpdir(), 'i2m-export-killed-'));
  for (const [name, body] of Object.entries(before)) writeFileSync(join(out, name), body);
});
afterEach(async () => {
  if (child) await stopGroup(child, { signal: 'SIGKILL', graceMs: 0 });
  child = undefined;
  rmSync(out, { recursive: true, force: true });
});

/** Starts the child export; resolves once it is at `at` (for `kill`: once it was killed there). */
async function childAt(action: 'kill' | 'hold', at: string, model?: string): Promise<ChildProcess> {
  const started = spawnGroup(process.execPath, ['--import', 'tsx', CHILD, out, action, at, ...(model ? [model] : [])], { stdio: ['pipe', 'pipe', 'inherit'] });
  child = started;
  const exited = new Promise<NodeJS.Signals | null>((resolve) => started.once('exit', (_code, signal) => resolve(signal)));
  const lines = createInterface({ input: started.stdout! })[Symbol.asyncIterator]();
  expect((await lines.next()).value).toBe(`at ${at}`);
  if (action === 'kill') expect(await exited).toBe('SIGKILL');
  return started;
}

const userFilesAsBefore = () => {
  for (const [name, body] of Object.entries(before)) expect(readFileSync(join(out, name), 'utf8')).toBe(body);
};

it('the next export removes the half set and temp files a killed export left, and takes the names', async () => {
  await childAt('kill', 'place:2');
  // What the kill left: two of the four names given, and hidden files.
  expect(readdirSync(out).filter((name) => !name.startsWith('.') && name !== 'notes.txt').sort()).toEqual(['chair.glb', 'chair.obj']);

  const written = await writeNewFiles(out, 'chair', filesFor);
  expect(written).toEqual(SET('chair').map((name) => join(out, name)));
  expect(readdirSync(out).sort()).toEqual([...SET('chair'), ...Object.keys(before)].sort());
  for (const name of SET('chair')) expect(readFileSync(join(out, name), 'utf8')).toBe(`${name} of this run`);
  userFilesAsBefore();
});

it('a set that was complete when its export was killed is kept; only the temp files go', async () => {
  await childAt('kill', 'committed');
  const written = await writeNewFiles(out, 'chair', filesFor);
  expect(written).toEqual(SET('chair-2').map((name) => join(out, name)));
  expect(readdirSync(out).sort()).toEqual([...SET('chair'), ...SET('chair-2'), ...Object.keys(before)].sort());
  expect(readFileSync(join(out, 'chair.obj'), 'utf8')).toBe('mtllib chair.mtl\n');
  userFilesAsBefore();
});

it("an export still running in another process keeps its files, and completes its set", async () => {
  const live = await childAt('hold', 'place:2');
  const written = await writeNewFiles(out, 'chair', filesFor);
  expect(written).toEqual(SET('chair-2').map((name) => join(out, name)));
  const finished = new Promise<void>((resolve) => live.once('exit', () => resolve()));
  live.stdin!.write('go\n');
  await finished;
  expect(readdirSync(out).sort()).toEqual([...SET('chair'), ...SET('chair-2'), ...Object.keys(before)].sort());
  expect(readFileSync(join(out, 'chair.mtl'), 'utf8')).toBe('newmtl m\nmap_Kd chair_texture0.png\n');
  userFilesAsBefore();
});

it('a model copy (automatic export, the CLI\'s --out) killed before it had its name leaves no temp file after the next copy', async () => {
  const model = join(mkdtempSync(join(tmpdir(), 'i2m-export-killed-model-')), 'model.glb');
  writeFileSync(model, 'glTF a whole model');
  try {
    await childAt('kill', 'place', model);
    // What the kill left: the whole copy, hidden.
    expect(readdirSync(out).filter((name) => name.startsWith('.tmp-') && name.endsWith('-chair.glb') && !Object.keys(before).includes(name))).toHaveLength(1);
    expect(await copyToFreePath(model, out, 'chair')).toBe(join(out, 'chair.glb'));
    expect(readdirSync(out).sort()).toEqual(['chair.glb', ...Object.keys(before)].sort());
    userFilesAsBefore();
  } finally {
    rmSync(join(model, '..'), { recursive: true, force: true });
  }
});
