// "The same photo with the same settings" is matched by its prepared bytes OR by its original file
// (queue/store-reads SAME_PHOTO_SQL, library/store SAME_MODEL_SQL). Rows from before the original's
// hash was kept (NULL) still match by their prepared bytes, a row without one never matches another by
// it, and every look-up a drop makes per photo (join a twin, already made, made again) searches an
// index: a 1,000-photo drop makes them for each photo, on the thread that serves the window.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it, vi } from 'vitest';
import { openDatabase, type Db } from '../../../src/core/db/open';
import { LibraryStore, modelKeysOf, paramsKeyOf, type NewModel } from '../../../src/core/library/store';
import { JobStore, type NewJob } from '../../../src/core/queue/store';
import { newJob } from '../../support/new-job';

const dirs: string[] = [];
let db: Db | undefined;
let store: JobStore | undefined;
afterEach(() => {
  vi.restoreAllMocks();
  store?.close();
  db?.close();
  store = db = undefined;
  dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true }));
});

function open(): { store: JobStore; library: LibraryStore; dataDir: string } {
  const dataDir = mkdtempSync(join(tmpdir(), 'i2m-same-photo-keys-'));
  dirs.push(dataDir);
  db = openDatabase(dataDir);
  store = new JobStore(db);
  return { store, library: new LibraryStore(db, dataDir), dataDir };
}

const add = (s: JobStore, job: NewJob) => s.addOrJoin([{ job, mayJoin: true }])[0]!;

function model(dataDir: string, id: string, keys: Pick<NewModel, 'paramsKey' | 'sourceParamsKey'>): NewModel {
  mkdirSync(join(dataDir, 'library'), { recursive: true });
  const filePath = join(dataDir, 'library', `${id}.glb`);
  writeFileSync(filePath, id);
  return {
    id, name: id, createdAt: 1, endpoint: 'e', preset: 'standard', jobId: null, sha256: id, filePath, previewPath: null, costUsd: null, sourceName: null,
    stats: { triangles: 1, vertices: 3, materials: 0, textures: [], fileSize: 1 },
    ...keys,
  };
}

it('jobs: the same prepared bytes or the same original join; a job from before (no original) still joins by its prepared bytes', () => {
  const { store: s } = open();
  const old = add(s, newJob({ inputSha256: 'prepared-1' }));
  expect(old.row.sourceSha256).toBeNull();
  // Dropped again now: same prepared bytes, an original's hash too.
  expect(add(s, newJob({ inputSha256: 'prepared-1', sourceSha256: 'original-1' }))).toMatchObject({ kind: 'joined', row: { id: old.row.id } });

  const first = add(s, newJob({ inputSha256: 'prepared-2', sourceSha256: 'original-2' }));
  expect(first.kind).toBe('added');
  // The same original prepared other bytes (another long side): the same photo.
  expect(add(s, newJob({ inputSha256: 'prepared-3', sourceSha256: 'original-2' }))).toMatchObject({ kind: 'joined', row: { id: first.row.id } });
  // Other settings, another photo, a set (no original): new jobs.
  expect(add(s, newJob({ inputSha256: 'prepared-4', sourceSha256: 'original-2', preset: 'draft' })).kind).toBe('added');
  expect(add(s, newJob({ inputSha256: 'prepared-5', sourceSha256: 'original-5' })).kind).toBe('added');
  expect(add(s, newJob({ inputSha256: 'set-key', sourceSha256: null })).kind).toBe('added');
  expect(add(s, newJob({ inputSha256: 'set-key-2' })).kind).toBe('added');
});

it('models: found by the prepared bytes (models from before have no original) or by the original', () => {
  const { library, dataDir } = open();
  library.insert(model(dataDir, 'old', { paramsKey: paramsKeyOf('prepared-1', 'e', 'standard', '{}') }));
  library.insert(model(dataDir, 'new', { ...modelKeysOf('prepared-2', 'original-2', 'e', 'standard', '{}') }));
  expect(library.findByParams(modelKeysOf('prepared-1', 'original-1', 'e', 'standard', '{}'))?.id).toBe('old');
  expect(library.findByParams(modelKeysOf('prepared-3', 'original-2', 'e', 'standard', '{}'))?.id).toBe('new');
  expect(library.findByParams(modelKeysOf('prepared-3', 'original-2', 'e', 'draft', '{}'))).toBeNull();
  expect(library.findByParams(modelKeysOf('prepared-3', null, 'e', 'standard', '{}'))).toBeNull();
});

it('every look-up for the same photo searches an index of jobs and models, never scans them', () => {
  const { store: s, library, dataDir } = open();
  db!.transaction(() => {
    for (let i = 0; i < 50; i++) {
      s.insertMany([newJob({ inputSha256: `p${i}`, sourceSha256: i % 2 ? `o${i}` : null, createdAt: i })]);
      library.insert(model(dataDir, `m${i}`, { ...modelKeysOf(`p${i}`, i % 2 ? `o${i}` : null, 'e', 'standard', '{}') }));
    }
  })();
  const prepared: string[] = [];
  const prepare = db!.prepare.bind(db);
  vi.spyOn(db!, 'prepare').mockImplementation((sql: string) => {
    prepared.push(sql);
    return prepare(sql);
  });
  // What a photo of a drop asks (intake.ts, store-actions addOrJoin), and a send's or Retry's question.
  const fresh = new JobStore(db!);
  const freshLibrary = new LibraryStore(db!, dataDir);
  freshLibrary.findByParams(modelKeysOf('p-new', 'o-new', 'e', 'standard', '{}'));
  const { row } = fresh.addOrJoin([{ job: newJob({ inputSha256: 'p-new', sourceSha256: 'o-new' }), mayJoin: true }])[0]!;
  fresh.flagMadeAgain(row, 2);
  fresh.madeAgainElsewhere(row);
  fresh.close();

  const lookups = prepared.filter((sql) => /^\s*SELECT\b/i.test(sql) && /\b(input_sha256|source_sha256|params_key)\b/.test(sql));
  expect(lookups.length).toBeGreaterThanOrEqual(6);
  for (const sql of lookups) {
    const named = Object.fromEntries([...sql.matchAll(/@(\w+)/g)].map((match) => [match[1], 'x']));
    const plan = (sql.includes('@') ? db!.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(named) : db!.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...Array.from(sql.matchAll(/\?/g), () => 'x'))) as { detail: string }[];
    const details = plan.map((step) => step.detail);
    expect(details.filter((detail) => /^SCAN (jobs|models)\b/.test(detail)), `${sql}\n${details.join('\n')}`).toEqual([]);
    expect(details.some((detail) => /^SEARCH (jobs|models) USING (COVERING )?INDEX /.test(detail)), `${sql}\n${details.join('\n')}`).toBe(true);
  }
});
