// A batch of jobs' writes (queue/store-fenced updateManyFenced) runs each job's write as a savepoint of
// one transaction: one that fails undoes its own writes and keeps the others'.
import Database from 'better-sqlite3';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { savepoint, writeTx } from '../../../src/core/db/write';

let db: Database.Database;
beforeEach(() => {
  db = new Database(':memory:');
  db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL)');
});
afterEach(() => db.close());

const values = () => (db.prepare('SELECT v FROM t ORDER BY id').all() as { v: string }[]).map((row) => row.v);

it("a failing savepoint undoes its own writes only; the transaction's other writes are committed", () => {
  const insert = db.prepare('INSERT INTO t (v) VALUES (?)');
  const outcomes = writeTx(db, () =>
    ['a', 'b', 'c'].map((v) => {
      try {
        return savepoint(db, () => {
          insert.run(v);
          if (v === 'b') throw new Error('refused');
          return v;
        });
      } catch (error) {
        return (error as Error).message;
      }
    }),
  );
  expect(outcomes).toEqual(['a', 'refused', 'c']);
  expect(values()).toEqual(['a', 'c']);
});

it('the same connection runs many transactions, each answering its own value', () => {
  for (let i = 0; i < 50; i++) expect(writeTx(db, () => db.prepare('INSERT INTO t (v) VALUES (?)').run(String(i)).changes)).toBe(1);
  expect(values()).toHaveLength(50);
});

it('a savepoint outside a transaction is a mistake, said at once', () => {
  expect(() => savepoint(db, () => 1)).toThrow(/inside a write transaction/);
  expect(db.inTransaction).toBe(false);
});
