// `export --lods` whose finest level is under 100 % (`--lods 10`, or `--lods 50,25`): the GLB written
// is that level, but the line the CLI printed gave the triangles before the levels ("2,024 -> 2,024
// triangles") and named no file's own count, so the user was told a figure no written GLB has. Each
// GLB level whose count differs from that figure now gets a line with its own triangles.
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openDatabase } from '../../src/core/db/open';
import { LibraryStore } from '../../src/core/library/store';
import { makeTestGlb } from '../fixtures/make-glb';
import { runCli, stopAllCliRuns } from '../support/cli-process';

let work = '';
let dataDir = '';
beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'i2m-cli-export-lods-'));
  dataDir = join(work, 'data');
  mkdirSync(join(dataDir, 'library'), { recursive: true });
  const file = join(dataDir, 'library', 'ball.glb');
  const glb = await makeTestGlb({ triangles: 2000, textured: false });
  writeFileSync(file, glb);
  const db = openDatabase(dataDir);
  new LibraryStore(db, dataDir).insert({
    id: 'ball-1',
    name: 'ball',
    createdAt: Date.now(),
    endpoint: 'offline/relief',
    preset: 'standard',
    jobId: null,
    sha256: createHash('sha256').update(glb).digest('hex'),
    filePath: file,
    stats: { triangles: 2000, vertices: 1000, materials: 0, textures: [], fileSize: glb.byteLength },
    previewPath: null,
    costUsd: null,
    sourceName: 'ball.jpg',
    paramsKey: null,
  });
  db.close();
});
afterAll(async () => {
  await stopAllCliRuns();
  rmSync(work, { recursive: true, force: true });
});

interface PlanLine {
  type: string;
  plan?: { result: { triangles: number }; files: { name: string; format: string; triangles: number | null }[] };
}

it.each([['10'], ['50,25']])('--lods %s --plan names the triangles of each GLB it would write', async (lods) => {
  const args = ['export', 'ball-1', '--format', 'glb', '--lods', lods, '--plan', '--data-dir', dataDir];
  const json = await runCli([...args, '--json']);
  expect(json.code, json.stdout + json.stderr).toBe(0);
  const plan = json.stdout
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as PlanLine)
    .find((line) => line.type === 'export')!.plan!;
  const glbs = plan.files.filter((f) => f.format === 'glb');
  // The finest level is under 100 %: no GLB has the overall figure.
  for (const glb of glbs) expect(glb.triangles).toBeLessThan(plan.result.triangles);

  const plain = await runCli(args);
  expect(plain.code).toBe(0);
  for (const glb of glbs) expect(plain.stdout).toContain(`${glb.name}: ${glb.triangles!.toLocaleString('en')} triangles`);
}, 60_000);

it('the ordinary game levels (100/50/25/10 %) still print the full count first and each smaller level', async () => {
  const plain = await runCli(['export', 'ball-1', '--preset', 'game', '--triangles', '1000', '--plan', '--data-dir', dataDir]);
  expect(plain.code).toBe(0);
  expect(plain.stdout).toMatch(/ball: 2,024 -> 1,000 triangles/);
  expect(plain.stdout).not.toMatch(/ball_LOD0\.glb: /);
  expect(plain.stdout).toMatch(/ball_LOD1\.glb: [\d,]+ triangles/);
}, 60_000);
