// Attack (library at scale): `image2model list` read one page of 10,000 models, so in a larger library
// the oldest models were left out without a word (no count, no "more"). Now it pages through all.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { openDatabase } from '../../src/core/db/open';
import { LibraryStore } from '../../src/core/library/store';
import { runCli, stopAllCliRuns } from '../support/cli-process';

const dataDir = mkdtempSync(join(tmpdir(), 'i2m-cli-list-'));
afterAll(async () => {
  await stopAllCliRuns();
  rmSync(dataDir, { recursive: true, force: true });
});

const COUNT = 10_050;

it(`lists every model of a library of ${COUNT.toLocaleString('en')}, newest first`, async () => {
  const db = openDatabase(dataDir);
  const store = new LibraryStore(db, dataDir);
  db.transaction(() => {
    for (let i = 0; i < COUNT; i++) {
      store.insert({
        id: `model-${i}`,
        name: `model ${i}`,
        createdAt: 1_700_000_000_000 + i,
        endpoint: 'offline/relief',
        preset: 'standard',
        jobId: null,
        sha256: `sha-${i}`,
        filePath: join(dataDir, 'library', `${i}.glb`),
        stats: { triangles: 10, vertices: 30, materials: 0, textures: [], fileSize: 1 },
        previewPath: null,
        costUsd: null,
        sourceName: `photo${i}.jpg`,
        paramsKey: null,
      });
    }
  })();
  db.close();
  const run = await runCli(['list', '--json', '--data-dir', dataDir]);
  expect(run.code).toBe(0);
  const ids = run.stdout.trim().split('\n').map((line) => (JSON.parse(line) as { id: string }).id);
  expect(ids).toHaveLength(COUNT);
  expect(new Set(ids).size).toBe(COUNT);
  expect(ids[0]).toBe(`model-${COUNT - 1}`);
  expect(ids.at(-1)).toBe('model-0');
}, 120_000);
