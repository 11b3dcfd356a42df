// `image2model export` as a user runs it: models made by the offline generator in a temp data folder,
// presets and knobs as flags. The models are made, and the first export written, by the real bin in a
// child process; the other runs go through the CLI's entry point in this process (the same parsing,
// output and exit codes), since each child spends seconds starting Node and tsx and loading the app
// (24 of them made this file take over a minute and a half).
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestJpeg } from '../../fixtures/make-glb';
import { readStl } from './helpers';
import { jsonLines, runCli as runCliProcess, stopAllCliRuns } from '../../support/cli-process';
import { runCliInProcess } from '../../support/cli-in-process';

/** The real bin in a child process. */
const runBin = (args: string[]) => runCliProcess([...args, '--data-dir', dataDir]);
const runCli = (args: string[]) => runCliInProcess([...args, '--data-dir', dataDir]);

let work: string;
let dataDir: string;
let ids: string[];
beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'i2m-export-cli-'));
  dataDir = join(work, 'data');
  const photos = [1, 2].map((seed) => join(work, `photo${seed}.jpg`));
  for (const [i, photo] of photos.entries()) writeFileSync(photo, await makeTestJpeg(320, 240, { seed: i + 5 }));
  const made = await runBin(['convert', ...photos, '--out', work, '--json']);
  expect(made.code).toBe(0);
  ids = jsonLines((await runCli(['list', '--json'])).stdout).map((m) => String(m.id));
  expect(ids).toHaveLength(2);
}, 120_000);
afterAll(async () => {
  await stopAllCliRuns();
  rmSync(work, { recursive: true, force: true });
});

// A child process starts Node and tsx afresh: seconds, far more on a busy machine.
describe('image2model export', { timeout: 180_000 }, () => {
  it('exports several models with the print preset at a chosen height into a folder', async () => {
    const out = mkdtempSync(join(work, 'print-'));
    const result = await runBin(['export', ...ids, '--preset', 'print', '--height', '50mm', '--out', out, '--json']);
    expect(result.code, result.stderr).toBe(0);
    const lines = jsonLines(result.stdout);
    expect(lines.filter((l) => l.type === 'export')).toHaveLength(2);
    expect(lines.at(-1)).toMatchObject({ type: 'summary', succeeded: 2, failed: 0 });
    const files = readdirSync(out).sort();
    expect(files.filter((f) => f.endsWith('.stl'))).toHaveLength(2);
    expect(files.filter((f) => f.endsWith('.3mf'))).toHaveLength(2);
    const stl = readStl(readFileSync(join(out, files.find((f) => f.endsWith('.stl'))!)));
    expect(stl.box.max[2]! - stl.box.min[2]!).toBeCloseTo(50, 1);
    expect(stl.box.min[2]).toBeCloseTo(0, 3);
    const plan = lines[0]!.plan as { print: { unit: string } };
    expect(plan.print.unit).toBe('mm');
  });

  it('takes knobs as flags: LODs named _LOD0/_LOD1 with a file name pattern', async () => {
    const out = mkdtempSync(join(work, 'game-'));
    const result = await runCli(['export', ids[0]!, '--preset', 'game', '--ratio', '0.5', '--lods', '100,50%', '--name', 'asset-{preset}', '--out', out]);
    expect(result.code, result.stderr).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['asset-game_LOD0.glb', 'asset-game_LOD1.glb']);
    expect(result.stdout).toMatch(/triangles/);
  });

  it('--plan shows the figures and writes nothing; a saved preset is usable by name', async () => {
    const before = readdirSync(work).length;
    const plan = await runCli(['export', ids[0]!, '--preset', 'web', '--plan', '--json', '--save-preset', 'My Web']);
    expect(plan.code, plan.stderr).toBe(0);
    const line = jsonLines(plan.stdout).find((l) => l.type === 'export')!;
    expect(line.files).toEqual([]);
    expect((line.plan as { budget: { bytes: number } }).budget.bytes).toBe(2 * 1024 * 1024);
    expect(readdirSync(work).length).toBe(before);
    expect(existsSync(join(dataDir, 'export-presets.json'))).toBe(true);
    const again = await runCli(['export', ids[0]!, '--preset', 'my-web', '--plan']);
    expect(again.code, again.stderr).toBe(0);
  });

  it('--delete-preset deletes a preset of your own (as the studio does); built-in ones stay', async () => {
    const saved = await runCli(['export', ids[0]!, '--preset', 'print', '--plan', '--save-preset', 'Short lived']);
    expect(saved.code, saved.stderr).toBe(0);
    const deleted = await runCli(['export', '--delete-preset', 'short-lived']);
    expect(deleted.code, deleted.stderr).toBe(0);
    expect(deleted.stdout).toBe('Deleted preset "Short lived" (short-lived)\n');
    const gone = await runCli(['export', ids[0]!, '--preset', 'short-lived', '--plan']);
    expect(gone.code).toBe(2);
    expect(gone.stderr).toMatch(/Unknown preset "short-lived"/);
    // Deleting again, a built-in preset, or with model ids: usage errors that say why.
    const again = await runCli(['export', '--delete-preset', 'short-lived']);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/No saved preset "short-lived"/);
    const builtIn = await runCli(['export', '--delete-preset', 'print']);
    expect(builtIn.code).toBe(2);
    expect(builtIn.stderr).toMatch(/built-in preset/);
    expect((await runCli(['export', ids[0]!, '--delete-preset', 'web'])).code).toBe(2);
    expect((await runCli(['export', '--help'])).stdout).toContain('--delete-preset <name>');
  });

  it('exits 2 for an unknown preset or an --out that is a file, 1 for an unknown model; creates a missing folder', async () => {
    const unknown = await runCli(['export', ids[0]!, '--preset', 'nope', '--out', work]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/blender, game, web, ar, print/);
    const created = await runCli(['export', ids[0]!, '--preset', 'web', '--out', join(work, 'new-dir')]);
    expect(created.code, created.stderr).toBe(0);
    expect(created.stderr).toContain('Created the output folder');
    expect(readdirSync(join(work, 'new-dir')).length).toBeGreaterThan(0);
    writeFileSync(join(work, 'a-file.txt'), 'not a folder');
    expect((await runCli(['export', ids[0]!, '--preset', 'web', '--out', join(work, 'a-file.txt')])).code).toBe(2);
    expect((await runCli(['export', 'no-such-model', '--preset', 'web', '--out', work])).code).toBe(1);
  });

  it('exits 2 for a real size out of range, saying which range is allowed', async () => {
    const tiny = await runCli(['export', ids[0]!, '--preset', 'print', '--height', '0.00001mm', '--out', work]);
    expect(tiny.code).toBe(2);
    expect(tiny.stderr).toContain('Real size must be from 0.1 to 1,000,000 mm (0.1 mm to 1 km).');
    const huge = await runCli(['export', ids[0]!, '--preset', 'print', '--size', '5000m', '--out', work]);
    expect(huge.code).toBe(2);
    expect(huge.stderr).toContain('Real size must be from 0.0001 to 1,000 m');
  });

  it('keeps `export <model-id> <file>` working', async () => {
    const file = join(work, 'legacy.obj');
    const result = await runCli(['export', ids[0]!, file]);
    expect(result.code, result.stderr).toBe(0);
    expect(readFileSync(file, 'utf8')).toMatch(/^# Exported by Image2Model/);
  });
});
