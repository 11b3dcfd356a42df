// The off-thread fsync that makes the submit intent power-cut safe (src/core/db/wal-sync.ts).
import Database from 'better-sqlite3';
import { existsSync, fstatSync, mkdirSync, mkdtempSync, realpathSync, renameSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { createWalSync, walSyncChannel } from '../../../src/core/db/wal-sync';
import { openDatabase } from '../../../src/core/db/open';
import { descriptorsOn } from '../../support/open-descriptors';

let dir = '';
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'i2m-walsync-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

it('syncs the WAL file of a file database; none for an in-memory one', async () => {
  const db = openDatabase(dir);
  const synced: string[] = [];
  const sync = createWalSync(db, async (_fd, path) => void synced.push(path));
  await sync!.sync();
  expect(synced).toEqual([join(dir, 'image2model.db-wal')]);
  // The real fsync works on the real file.
  await createWalSync(db)!.sync();
  db.close();
  const memory = new Database(':memory:');
  expect(createWalSync(memory)).toBeNull();
  memory.close();
});

it('answers each caller only after an fsync that started after its call; callers meanwhile share one', async () => {
  const db = openDatabase(dir);
  const started: number[] = [];
  const finish: (() => void)[] = [];
  let clock = 0;
  const sync = createWalSync(db, () => {
    started.push(++clock);
    return new Promise<void>((resolve) => finish.push(resolve));
  })!;
  const calledAt: Record<string, number> = {};
  const answered: string[] = [];
  const track = (name: string) => {
    calledAt[name] = ++clock;
    void sync.sync().then(() => answered.push(name));
  };
  track('a'); // starts fsync #1
  track('b'); // #1 may have started before b's commit: waits for #2
  track('c'); // shares #2
  await Promise.resolve();
  expect(started).toHaveLength(1);
  finish[0]!();
  await new Promise((resolve) => setTimeout(resolve, 0));
  expect(answered).toEqual(['a']);
  expect(started).toHaveLength(2);
  // fsync #2 began after b and c were called.
  expect(started[1]!).toBeGreaterThan(Math.max(calledAt.b!, calledAt.c!));
  finish[1]!();
  await new Promise((resolve) => setTimeout(resolve, 0));
  expect(answered.sort()).toEqual(['a', 'b', 'c']);
  expect(started).toHaveLength(2);
  db.close();
});

it('a failing fsync fails its callers and every later one: a later "success" may hide pages the kernel dropped', async () => {
  const db = openDatabase(dir);
  let fail = true;
  let calls = 0;
  const sync = createWalSync(db, async () => {
    calls++;
    if (fail) throw Object.assign(new Error('EIO: i/o error, fsync'), { code: 'EIO' });
  })!;
  await expect(sync.sync()).rejects.toThrow('EIO');
  fail = false;
  // Linux may answer the next fsync with success although the failed pages never reached the disk.
  const later = sync.sync();
  await expect(later).rejects.toThrow(/disk reported an error while saving \(EIO: i\/o error, fsync\).*nothing more is sent to FAL until Image2Model is restarted/);
  await expect(later).rejects.toMatchObject({ code: 'EIO' });
  expect(calls).toBe(1);
  db.close();
  // Opened again (the app restarted): syncs work.
  const reopened = openDatabase(dir);
  await expect(createWalSync(reopened, async () => undefined)!.sync()).resolves.toBeUndefined();
  reopened.close();
});

it("reports each caller's wait on its diagnostics channel while someone listens (the queue bench does), a failed fsync too", async () => {
  const db = openDatabase(dir);
  let release: () => void = () => undefined;
  let fail = false;
  const sync = createWalSync(db, () =>
    fail ? Promise.reject(new Error('EIO')) : new Promise<void>((resolve) => (release = resolve)),
  )!;
  const seen: number[] = [];
  const listener = (message: unknown) => seen.push((message as { waitedMs: number }).waitedMs);
  walSyncChannel.subscribe(listener);
  try {
    const waiting = sync.sync();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(seen).toEqual([]); // not before the disk answered
    release();
    await waiting;
    expect(seen).toHaveLength(1);
    expect(seen[0]!).toBeGreaterThanOrEqual(15);
    fail = true;
    await expect(sync.sync()).rejects.toThrow('EIO');
    expect(seen).toHaveLength(2);
  } finally {
    walSyncChannel.unsubscribe(listener);
  }
  db.close();
});

it('a sync asked for as the database closes (the engine stopping mid-drop) is no disk error: the commit is in the database file', async () => {
  const db = openDatabase(dir);
  const sync = createWalSync(db)!;
  db.exec("CREATE TABLE t (v TEXT); INSERT INTO t VALUES ('kept')");
  // The last connection closing checkpoints the WAL into the database file, syncs it and deletes the WAL.
  db.close();
  expect(existsSync(join(dir, 'image2model.db-wal'))).toBe(false);
  await expect(sync.sync()).resolves.toBeUndefined();
  const again = new Database(join(dir, 'image2model.db'), { readonly: true });
  expect(again.prepare('SELECT v FROM t').pluck().get()).toBe('kept');
  again.close();
});

it('a WAL missing while the database is open (its folder moved away) fails the sync, and a later sync works once it is back', async () => {
  const db = openDatabase(dir);
  const sync = createWalSync(db)!;
  db.exec("CREATE TABLE t (v TEXT); INSERT INTO t VALUES ('x')");
  renameSync(dir, `${dir}-moved`);
  try {
    await expect(sync.sync()).rejects.toThrow(/journal .* could not be opened to save changes: it is gone - was the data folder moved or removed\? Nothing is sent to FAL/);
  } finally {
    renameSync(`${dir}-moved`, dir);
  }
  // Not a disk error: nothing was fsynced and failed, so syncs work again.
  await expect(sync.sync()).resolves.toBeUndefined();
  db.close();
});

it("syncs a symlinked database's WAL where SQLite keeps it: beside the real file", async () => {
  const real = mkdtempSync(join(tmpdir(), 'i2m-walsync-real-'));
  try {
    openDatabase(real).close();
    symlinkSync(join(real, 'image2model.db'), join(dir, 'image2model.db'));
    const db = openDatabase(dir);
    const synced: string[] = [];
    await createWalSync(db, async (_fd, path) => void synced.push(path))!.sync();
    expect(synced).toEqual([join(realpathSync(real), 'image2model.db-wal')]);
    db.close();
  } finally {
    rmSync(real, { recursive: true, force: true });
  }
});

it('fsyncs one descriptor, opened with the WalSync and kept until close (after a running fsync ends)', async () => {
  const db = openDatabase(dir);
  const fds: number[] = [];
  let release: () => void = () => undefined;
  const sync = createWalSync(db, (fd) => {
    fds.push(fd);
    return fds.length < 3 ? Promise.resolve() : new Promise<void>((resolve) => (release = resolve));
  })!;
  await sync.sync();
  db.exec('CREATE TABLE t (v TEXT)');
  await sync.sync();
  expect(new Set(fds).size).toBe(1);
  expect(fstatSync(fds[0]!).ino).toBe(statSync(join(dir, 'image2model.db-wal')).ino);
  // Closing as the engine does (the store, then the database) while an fsync runs on it.
  const running = sync.sync();
  await vi.waitFor(() => expect(fds).toHaveLength(3));
  sync.close();
  expect(fstatSync(fds[0]!).ino).toBeGreaterThan(0);
  release();
  await running;
  expect(() => fstatSync(fds[0]!)).toThrow(/EBADF/);
  db.close();
  // Closed, its WAL gone: synced (the commits are in the database file).
  await expect(sync.sync()).resolves.toBeUndefined();
});

it.runIf(process.platform === 'linux')(
  "a write-back error reported first to another descriptor (SQLite's checkpoint, the CLI) still fails the next sync, and every later one",
  async () => {
    const db = openDatabase(dir);
    const wal = join(realpathSync(dir), 'image2model.db-wal');
    // The kernel's errseq in small: an error is reported once to each descriptor open when it happened;
    // one opened afterwards never hears of it.
    let unreported = new Set<number>();
    const sync = createWalSync(db, async (fd) => {
      if (unreported.delete(fd)) throw Object.assign(new Error('EIO: i/o error, fsync'), { code: 'EIO' });
    })!;
    await sync.sync();
    db.exec("CREATE TABLE t (v TEXT); INSERT INTO t VALUES ('armed')");
    // Writing the WAL's pages back fails now. SQLite's own descriptor hears of it first (and is used up).
    unreported = descriptorsOn(wal);
    expect(unreported.size).toBeGreaterThan(0);
    await expect(sync.sync()).rejects.toThrow(/disk reported an error while saving \(EIO/);
    await expect(sync.sync()).rejects.toThrow(/disk reported an error while saving \(EIO/);
    sync.close();
    db.close();
  },
);

it('a WAL replaced while the database is open (the folder moved, another in its place) fails the sync, without fsyncing either file; later syncs work once it is back', async () => {
  const db = openDatabase(dir);
  let fsyncs = 0;
  const sync = createWalSync(db, async () => void fsyncs++)!;
  db.exec("CREATE TABLE t (v TEXT); INSERT INTO t VALUES ('x')");
  renameSync(dir, `${dir}-moved`);
  try {
    mkdirSync(dir);
    writeFileSync(join(dir, 'image2model.db-wal'), '');
    await expect(sync.sync()).rejects.toThrow(/journal .* is no longer the file the app saves to: was the data folder moved, removed or replaced\? Nothing is sent to FAL until it can be: put the folder back, or restart/);
    expect(fsyncs).toBe(0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    renameSync(`${dir}-moved`, dir);
  }
  // Not a disk error: nothing was fsynced and failed, so syncs work again.
  await expect(sync.sync()).resolves.toBeUndefined();
  expect(fsyncs).toBe(1);
  sync.close();
  db.close();
});

it('reports an fsync that runs past slowAfterMs as slow until it ends; a quick one never', async () => {
  const db = openDatabase(dir);
  let release: () => void = () => undefined;
  let hang = false;
  const sync = createWalSync(db, () => (hang ? new Promise<void>((resolve) => (release = resolve)) : Promise.resolve()), 10_000)!;
  const seen: boolean[] = [];
  sync.onSlow((slow) => seen.push(slow));
  vi.useFakeTimers();
  try {
    await sync.sync();
    vi.advanceTimersByTime(20_000);
    expect(seen).toEqual([]);
    hang = true;
    const waiting = sync.sync();
    vi.advanceTimersByTime(9_999);
    expect(seen).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(seen).toEqual([true]);
    release();
    await waiting;
    expect(seen).toEqual([true, false]);
  } finally {
    vi.useRealTimers();
  }
  sync.close();
  db.close();
});
