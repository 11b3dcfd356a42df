// The pragmas the engine relies on, on a file database as the app opens it (db/open.ts says why each).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../../src/core/db/open';

let dir: string | null = null;
let db: Db | null = null;
afterEach(() => {
  db?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
  db = dir = null;
});

it('WAL, NORMAL sync, foreign keys, and temp storage in memory (no temp file made on the engine thread)', () => {
  dir = mkdtempSync(join(tmpdir(), 'i2m-pragmas-'));
  db = openDatabase(dir);
  const value = (name: string) => db!.pragma(name, { simple: true });
  expect(value('journal_mode')).toBe('wal');
  expect(value('synchronous')).toBe(1); // NORMAL
  expect(value('foreign_keys')).toBe(1);
  expect(value('temp_store')).toBe(2); // MEMORY
});
