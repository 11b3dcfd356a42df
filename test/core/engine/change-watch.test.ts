// The change watch (engine/change-watch.ts) with two real connections on one database file, as the
// desktop app and a CLI run: what the other connection does reaches this one as events, and a look
// reads the rows that changed - not the whole history, which froze the app's main thread for ~1 s a
// look with 10,000 jobs while a CLI run worked.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { openDatabase, type Db } from '../../../src/core/db/open';
import { createChangeWatch, type ChangeWatch } from '../../../src/core/engine/change-watch';
import { JobStore } from '../../../src/core/queue/store';
import { LibraryStore } from '../../../src/core/library/store';
import { newJob } from '../../support/new-job';

let dir: string;
let ours: Db;
let theirs: Db;
let watch: ChangeWatch | undefined;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'i2m-watch-'));
  ours = openDatabase(dir);
  theirs = openDatabase(dir);
});
afterEach(() => {
  watch?.stop();
  watch = undefined;
  ours.close();
  theirs.close();
  rmSync(dir, { recursive: true, force: true });
});

interface Seen {
  jobs: { id: string; state: string; stateChanged: boolean }[];
  library: string[];
  queue: number;
  errors: unknown[];
}

function watching(store = new JobStore(ours), prune?: { at: number; keep: number; everyPolls: number }): { seen: Seen; store: JobStore } {
  const seen: Seen = { jobs: [], library: [], queue: 0, errors: [] };
  watch = createChangeWatch({
    db: ours,
    store,
    intervalMs: 60_000, // looks are made by the test (poll)
    isOwn: () => false,
    onJob: (row, stateChanged) => seen.jobs.push({ id: row.id, state: row.state, stateChanged }),
    onLibrary: (change) => seen.library.push(`${change.kind}:${change.id}`),
    onQueue: () => seen.queue++,
    onError: (error) => seen.errors.push(error),
    prune,
  });
  watch.start();
  return { seen, store };
}

function addModel(db: Db, id: string, name: string): void {
  new LibraryStore(db, dir).insert({
    id,
    name,
    createdAt: 1,
    endpoint: 'offline/relief',
    preset: 'standard',
    jobId: null,
    sha256: `sha-${id}`,
    filePath: join(dir, 'library', `${id}.glb`),
    stats: { triangles: 1, vertices: 3, materials: 1, textures: [], fileSize: 1 },
    previewPath: null,
    costUsd: null,
    sourceName: null,
    paramsKey: null,
  });
}

describe('what another connection changes', () => {
  it('reaches this one: a job added, moved on, removed; a model added, renamed, deleted', () => {
    const { seen } = watching();
    const other = new JobStore(theirs);
    const [row] = other.insertMany([newJob()]);
    addModel(theirs, 'm1', 'Chair');
    watch!.poll();
    expect(seen.jobs).toEqual([{ id: row!.id, state: 'queued', stateChanged: true }]);
    expect(seen.library).toEqual(['added:m1']);
    expect(seen.queue).toBe(1);

    other.claimNext({ owner: 'cli', now: 1000, leaseMs: 10_000, falAllowed: true });
    theirs.prepare("UPDATE models SET name = 'Stool' WHERE id = 'm1'").run();
    watch!.poll();
    expect(seen.jobs.at(-1)).toMatchObject({ id: row!.id, state: 'preparing', stateChanged: true });
    expect(seen.library.at(-1)).toBe('updated:m1');

    theirs.prepare('DELETE FROM jobs WHERE id = ?').run(row!.id);
    theirs.prepare("DELETE FROM models WHERE id = 'm1'").run();
    const queueBefore = seen.queue;
    watch!.poll();
    expect(seen.library.at(-1)).toBe('removed:m1');
    expect(seen.queue).toBe(queueBefore + 1);
    expect(seen.errors).toEqual([]);
  });

  it('a look after one change reads that row, not the whole job history', () => {
    const other = new JobStore(theirs);
    const history = other.insertMany(Array.from({ length: 50 }, () => newJob()));
    const { seen, store } = watching();
    const list = vi.spyOn(store, 'list');
    const get = vi.spyOn(store, 'get');
    theirs.prepare("UPDATE jobs SET message = 'Made elsewhere' WHERE id = ?").run(history[7]!.id);
    watch!.poll();
    expect(list).not.toHaveBeenCalled();
    expect(get.mock.calls).toEqual([[history[7]!.id]]);
    expect(seen.jobs).toEqual([{ id: history[7]!.id, state: 'queued', stateChanged: false }]);
  });

  it('a change this connection already saw is not sent again; nothing changed, nothing read', () => {
    const { seen, store } = watching();
    const [row] = new JobStore(theirs).insertMany([newJob()]);
    watch!.poll();
    const get = vi.spyOn(store, 'get');
    watch!.poll();
    expect(get).not.toHaveBeenCalled();
    expect(seen.jobs.filter((job) => job.id === row!.id)).toHaveLength(1);
  });

  it('when the log was cut back past the last look (a long pause), the whole tables are compared once', () => {
    const { seen, store } = watching();
    const other = new JobStore(theirs);
    const [first] = other.insertMany([newJob()]);
    addModel(theirs, 'm1', 'Chair');
    // Another process pruned everything this watch had not read yet, but the newest row.
    theirs.prepare('DELETE FROM row_changes WHERE seq < (SELECT MAX(seq) FROM row_changes)').run();
    const list = vi.spyOn(store, 'list');
    watch!.poll();
    expect(list).toHaveBeenCalledTimes(1);
    expect(seen.jobs.map((job) => job.id)).toEqual([first!.id]);
    expect(seen.library).toEqual(['added:m1']);

    // And back to reading the log.
    const [second] = other.insertMany([newJob()]);
    watch!.poll();
    expect(list).toHaveBeenCalledTimes(1);
    expect(seen.jobs.map((job) => job.id)).toEqual([first!.id, second!.id]);
  });

  it('the log is cut back to its newest rows once long, and changes still arrive', () => {
    const { seen } = watching(undefined, { at: 20, keep: 5, everyPolls: 1 });
    const other = new JobStore(theirs);
    const rows = other.insertMany(Array.from({ length: 30 }, () => newJob()));
    watch!.poll(); // reads the 30, then the next look cuts the log back
    watch!.poll();
    const count = () => Number(ours.prepare('SELECT COUNT(*) FROM row_changes').pluck().get());
    expect(count()).toBeLessThanOrEqual(6);
    theirs.prepare("UPDATE jobs SET message = 'Still seen' WHERE id = ?").run(rows[3]!.id);
    watch!.poll();
    expect(seen.jobs.filter((job) => job.id === rows[3]!.id)).toHaveLength(2);
    expect(new Set(seen.jobs.map((job) => job.id)).size).toBe(30);
  });
});
