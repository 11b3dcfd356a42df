// The library's by-file lookups ("does a row still use this file?") - asked by the orphan sweep for
// every unreferenced file (orphans.ts -> LibraryStore.removeFileUnlessReferenced), and by a delete -
// search an index rather than scan the models table. The SQL is taken from what the store really
// prepares, so the check follows the store's queries.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it, vi } from 'vitest';
import { openDatabase } from '../../../src/core/db/open';
import { LibraryStore, type NewModel } from '../../../src/core/library/store';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

it('every lookup of a model by its file or preview path uses an index, not a scan of the table', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'i2m-file-lookups-'));
  dirs.push(dataDir);
  const db = openDatabase(dataDir);
  const prepared: string[] = [];
  const prepare = db.prepare.bind(db);
  vi.spyOn(db, 'prepare').mockImplementation((sql: string) => {
    prepared.push(sql);
    return prepare(sql);
  });
  const store = new LibraryStore(db, dataDir);
  const file = (name: string) => {
    mkdirSync(join(dataDir, 'library'), { recursive: true });
    const path = join(dataDir, 'library', name);
    writeFileSync(path, name);
    return path;
  };
  const model = (id: string): NewModel => ({
    id,
    name: id,
    createdAt: 1,
    endpoint: 'e',
    preset: 'standard',
    jobId: null,
    sha256: id,
    filePath: file(`${id}.glb`),
    stats: { triangles: 1, vertices: 3, materials: 0, textures: [], fileSize: 1 },
    previewPath: file(`${id}.png`),
    costUsd: null,
    sourceName: null,
    paramsKey: null,
  });
  db.transaction(() => {
    for (let i = 0; i < 50; i++) store.insert(model(`m${i}`));
  })();
  db.exec('ANALYZE');

  // The sweep's question for an unreferenced file, and a delete's for the files it leaves.
  expect(store.removeFileUnlessReferenced(file('orphan.glb'))).toBe(true);
  expect(store.delete('m0')).toBe(true);

  const lookups = prepared.filter((sql) => /^\s*SELECT\b/i.test(sql) && /\b(file_path|preview_path)\s*=\s*\?/.test(sql));
  expect(lookups.length).toBeGreaterThanOrEqual(2);
  for (const sql of lookups) {
    const params = Array.from(sql.matchAll(/\?/g), () => 'x');
    const plan = (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[]).map((row) => row.detail);
    const onModels = plan.filter((detail) => /\bmodels\b/.test(detail));
    expect(onModels.length, sql).toBeGreaterThan(0);
    for (const detail of onModels) expect(detail, `${sql}\n${plan.join('\n')}`).toMatch(/^SEARCH models USING (COVERING )?INDEX /);
  }
  db.close();
});
