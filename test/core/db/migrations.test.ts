import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { MIGRATIONS, migrate, schemaVersion } from '../../../src/core/db/migrations';
import { openDatabase } from '../../../src/core/db/open';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('openDatabase', () => {
  it('creates the file with WAL, busy timeout, foreign keys and the latest schema', () => {
    const dir = mkdtempSync(join(tmpdir(), 'i2m-db-'));
    dirs.push(dir);
    const db = openDatabase(join(dir, 'nested'));
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('busy_timeout', { simple: true })).toBe(5000);
    expect(db.pragma('synchronous', { simple: true })).toBe(1); // NORMAL; critical commits use FULL
    expect(schemaVersion(db)).toBe(MIGRATIONS.length);
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all();
    expect(tables).toEqual(expect.arrayContaining(['jobs', 'job_events', 'models', 'spend']));
    db.close();
    // Re-opening applies nothing twice.
    const again = openDatabase(join(dir, 'nested'));
    expect(schemaVersion(again)).toBe(MIGRATIONS.length);
    again.close();
  });
});

describe('migrate', () => {
  it('applies only the migrations not seen yet, tracked by user_version', () => {
    const db = new Database(':memory:');
    expect(migrate(db, ['CREATE TABLE a (x)'])).toBe(1);
    expect(migrate(db, ['CREATE TABLE a (x)', 'CREATE TABLE b (y)'])).toBe(2);
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all();
    expect(tables).toEqual(['a', 'b']);
  });

  it('rolls back a failing migration as a whole', () => {
    const db = new Database(':memory:');
    expect(() => migrate(db, ['CREATE TABLE a (x); CREATE TABLE a (x)'])).toThrow();
    expect(schemaVersion(db)).toBe(0);
    expect(db.prepare("SELECT COUNT(*) FROM sqlite_master WHERE name = 'a'").pluck().get()).toBe(0);
  });

  it('refuses a database from a newer version', () => {
    const db = new Database(':memory:');
    db.pragma('user_version = 99');
    expect(() => migrate(db)).toThrow(/newer version/);
  });
});
