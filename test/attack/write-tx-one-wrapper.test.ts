// Attack on db/write.ts's one transaction wrapper per connection (1f71b2d): the wrapper is shared by
// every writeTx and savepoint on a connection, kept in a WeakMap by the Database object. It must still
// behave as a fresh db.transaction(fn) did: nested transactions, busy retries, a rollback of the whole
// transaction from inside a savepoint, a connection closed and another opened on the same file, and two
// connections to one file.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { busyFaults, savepoint, writeTx } from '../../src/core/db/write';

let dir: string;
const open: Database.Database[] = [];
const connect = (busyTimeoutMs = 1000) => {
  const db = new Database(join(dir, 'db.sqlite'));
  db.pragma('journal_mode = WAL');
  db.pragma(`busy_timeout = ${busyTimeoutMs}`);
  db.exec('CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, v TEXT NOT NULL)');
  open.push(db);
  return db;
};
beforeEach(() => void (dir = mkdtempSync(join(tmpdir(), 'i2m-write-tx-'))));
afterEach(() => {
  for (const db of open.splice(0)) if (db.open) db.close();
  busyFaults.remaining = 0;
  rmSync(dir, { recursive: true, force: true });
});

const insert = (db: Database.Database, v: string) => db.prepare('INSERT INTO t (v) VALUES (?)').run(v);
const values = (db: Database.Database) => (db.prepare('SELECT v FROM t ORDER BY id').all() as { v: string }[]).map((row) => row.v);

it('a writeTx inside a writeTx is a savepoint: its error undoes its own writes, the outer commits', () => {
  const db = connect();
  const result = writeTx(db, () => {
    insert(db, 'outer');
    expect(() =>
      writeTx(db, () => {
        insert(db, 'inner, undone');
        throw new Error('inner refused');
      }),
    ).toThrow('inner refused');
    expect(db.inTransaction).toBe(true);
    writeTx(db, () => insert(db, 'inner, kept'));
    return 'done';
  });
  expect(result).toBe('done');
  expect(db.inTransaction).toBe(false);
  expect(values(db)).toEqual(['outer', 'inner, kept']);
});

it('an outer error undoes the nested writes too, and the next transaction starts clean', () => {
  const db = connect();
  expect(() =>
    writeTx(db, () => {
      writeTx(db, () => insert(db, 'nested'));
      savepoint(db, () => insert(db, 'savepoint'));
      throw new Error('outer refused');
    }),
  ).toThrow('outer refused');
  expect(values(db)).toEqual([]);
  writeTx(db, () => insert(db, 'after'));
  expect(values(db)).toEqual(['after']);
});

it('injected busy errors are retried; the work is done once', () => {
  const db = connect();
  busyFaults.remaining = 3;
  let runs = 0;
  writeTx(db, () => {
    runs++;
    insert(db, 'once');
  });
  expect(runs).toBe(1);
  expect(values(db)).toEqual(['once']);
  busyFaults.remaining = 4; // one more than the retries
  expect(() => writeTx(db, () => insert(db, 'never'))).toThrow(/locked/);
  expect(values(db)).toEqual(['once']);
});

it('a busy error inside a nested writeTx is not retried there: the whole transaction is, once', () => {
  const db = connect();
  let outerRuns = 0;
  writeTx(db, () => {
    outerRuns++;
    insert(db, `outer ${outerRuns}`);
    if (outerRuns === 1) busyFaults.remaining = 1;
    writeTx(db, () => insert(db, `inner ${outerRuns}`));
  });
  expect(outerRuns).toBe(2);
  expect(values(db)).toEqual(['outer 2', 'inner 2']);
});

it('a full disk inside a savepoint rolls back the whole transaction; the connection writes again after', () => {
  const db = connect();
  writeTx(db, () => insert(db, 'before'));
  db.pragma(`max_page_count = ${Number(db.pragma('page_count', { simple: true })) + 1}`);
  const seen: string[] = [];
  expect(() =>
    writeTx(db, () => {
      insert(db, 'small');
      try {
        savepoint(db, () => insert(db, 'x'.repeat(100_000)));
      } catch (error) {
        seen.push((error as { code?: string }).code ?? 'none', String(db.inTransaction));
        throw error;
      }
    }),
  ).toThrow();
  // SQLite may keep the transaction (the savepoint undone) or drop it whole; either way nothing half-written.
  expect(db.inTransaction).toBe(false);
  expect(seen[0]).toMatch(/SQLITE_FULL/);
  expect(values(db)).toEqual(['before']);
  db.pragma('max_page_count = 1073741823');
  writeTx(db, () => savepoint(db, () => insert(db, 'after')));
  expect(values(db)).toEqual(['before', 'after']);
});

it('a connection closed and another opened on the same file: the new one writes; the closed one says so', () => {
  const first = connect();
  writeTx(first, () => insert(first, 'first'));
  first.close();
  expect(() => writeTx(first, () => insert(first, 'closed'))).toThrow(/not open/);
  const second = connect();
  writeTx(second, () => savepoint(second, () => insert(second, 'second')));
  expect(values(second)).toEqual(['first', 'second']);
});

it('two connections to one file: each its own transactions; one busy while the other writes, both fine after', () => {
  const a = connect();
  const b = connect(0);
  writeTx(a, () => {
    insert(a, 'a');
    // b cannot take the write lock while a holds it: busy after its retries, and b is left outside any transaction.
    expect(() => writeTx(b, () => insert(b, 'b refused'))).toThrow(/locked|busy/i);
    expect(b.inTransaction).toBe(false);
    expect(a.inTransaction).toBe(true);
  });
  writeTx(b, () => savepoint(b, () => insert(b, 'b')));
  writeTx(a, () => insert(a, 'a again'));
  expect(values(a)).toEqual(['a', 'b', 'a again']);
});
