// Finished models are checked off the engine's thread when large: same result as in-thread, the
// bytes moved (not copied) only when a very large model's file holds them too, and a worker that crashes or cannot start never loses
// a model (the check then runs in-thread).
import { createHash } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { threadId, Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateGlb } from '../../../src/core/library/glb';
import { createGlbValidator, startGlbWorker, WORKER_MIN_BYTES, type GlbValidator } from '../../../src/core/library/glb-validator';
import { makeTestGlb } from '../../fixtures/make-glb';
import { packGlb, unpackGlb, withTempDir } from './helpers';

/** A worker that dies as soon as it is given work. */
const crashingWorker = () => new Worker('require("node:worker_threads").parentPort.on("message", () => process.exit(3))', { eval: true });
const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

let large: Uint8Array;
beforeAll(async () => {
  large = await makeTestGlb({ triangles: 30_000, textureSize: 512, seed: 21 });
  expect(large.byteLength).toBeGreaterThanOrEqual(WORKER_MIN_BYTES);
}, 60_000);

describe('GLB validator', () => {
  const warnings: string[] = [];
  let started = 0;
  let validator: GlbValidator;
  beforeAll(() => {
    validator = createGlbValidator({ warn: (m) => warnings.push(m), start: () => (started++, startGlbWorker()) });
  });
  afterAll(() => validator.close());

  it('checks a large GLB in a worker thread, with the figures an in-thread check gives', async () => {
    const expected = await validateGlb(large);
    const checked = await validator.validate({ bytes: large.slice() });
    expect(checked.threadId).not.toBe(threadId);
    expect({ ...checked, threadId: 0 }).toEqual({ ...expected, threadId: 0 });
    expect(checked.ok).toBe(true);
    expect(started).toBe(1);
    expect(warnings).toEqual([]);
  }, 60_000);

  it('checks small GLBs in-thread, starting no worker', async () => {
    const small = createGlbValidator({ warn: () => {}, start: () => expect.unreachable('no worker for a small file') });
    const checked = await small.validate({ bytes: await makeTestGlb({ triangles: 200, seed: 2 }) });
    expect(checked).toMatchObject({ ok: true, threadId });
    await small.close();
  });

  it('refuses an invalid large GLB with the reason and issues an in-thread check gives', async () => {
    const { json, bin } = unpackGlb(large);
    // Point the index accessor past the end of its buffer view.
    const accessors = json.accessors as { count: number }[];
    accessors[accessors.length - 1]!.count *= 10;
    const invalid = packGlb(json, bin);
    const expected = await validateGlb(invalid);
    expect(expected.ok).toBe(false);
    const checked = await validator.validate({ bytes: invalid });
    expect(checked.threadId).not.toBe(threadId);
    expect({ ...checked, threadId: 0 }).toEqual({ ...expected, threadId: 0 });
  }, 60_000);

  it('leaves every caller its bytes, also when a file holds them (ingest may have to store them again)', async () => {
    const kept = large.slice();
    await validator.validate({ bytes: kept });
    expect(sha(kept)).toBe(sha(large));
    const withFile = large.slice();
    await withTempDir(async (dir) => {
      const path = join(dir, 'model.glb');
      await writeFile(path, large);
      await expect(validator.validate({ bytes: withFile, tempFile: { path } })).resolves.toMatchObject({ ok: true });
    });
    expect(sha(withFile)).toBe(sha(large));
  }, 60_000);

  it('moves a large model that a file also holds instead of copying it (not held twice), and reads the file back if the worker fails', async () => {
    await withTempDir(async (dir) => {
      const path = join(dir, 'model.glb');
      await writeFile(path, large);
      const moving = createGlbValidator({ warn: () => {}, moveMinBytes: WORKER_MIN_BYTES });
      try {
        const moved = large.slice();
        const checked = await moving.validate({ bytes: moved, tempFile: { path } });
        expect(checked).toMatchObject({ ok: true });
        expect(checked.threadId).not.toBe(threadId);
        expect(moved.byteLength).toBe(0);
        // Without a file behind them the bytes are still copied: the caller may need them.
        const alone = large.slice();
        await moving.validate({ bytes: alone });
        expect(sha(alone)).toBe(sha(large));
      } finally {
        await moving.close();
      }
      const log: string[] = [];
      const crashing = createGlbValidator({ warn: (m) => log.push(m), start: crashingWorker, moveMinBytes: WORKER_MIN_BYTES });
      try {
        const checked = await crashing.validate({ bytes: large.slice(), tempFile: { path } });
        expect(checked).toEqual({ ...(await validateGlb(large)), threadId });
        expect(log).toHaveLength(1);
      } finally {
        await crashing.close();
      }
    });
  }, 60_000);

  it('checks in-thread when the worker crashes, and says so', async () => {
    const log: string[] = [];
    const crashing = createGlbValidator({ warn: (m) => log.push(m), start: crashingWorker });
    try {
      await withTempDir(async (dir) => {
        const path = join(dir, 'model.glb');
        await writeFile(path, large);
        const checked = await crashing.validate({ bytes: large.slice(), tempFile: { path } });
        expect(checked).toEqual({ ...(await validateGlb(large)), threadId });
      });
      const copied = await crashing.validate({ bytes: large.slice() });
      expect(copied).toMatchObject({ ok: true, threadId });
      expect(log).toEqual([
        "The GLB check worker failed (it exited with code 3); checking the model on the engine's thread instead",
        "The GLB check worker failed (it exited with code 3); checking the model on the engine's thread instead",
      ]);
    } finally {
      await crashing.close();
    }
  }, 60_000);

  it('checks in-thread when the worker cannot start', async () => {
    const log: string[] = [];
    const missing = createGlbValidator({
      warn: (m) => log.push(m),
      start: () => {
        throw new Error('The GLB check worker is missing from this build.');
      },
    });
    await expect(missing.validate({ bytes: large.slice() })).resolves.toMatchObject({ ok: true, threadId });
    expect(log).toEqual([
      "The GLB check worker failed (The GLB check worker is missing from this build.); checking the model on the engine's thread instead",
    ]);
    await missing.close();
  }, 60_000);

  it('closing while the worker warms up (the app quits, a short CLI run ends) logs no failure to start', async () => {
    const log: string[] = [];
    const workers: Worker[] = [];
    // A worker still loading: it never answers the warm-up check, so close() ends it mid-way.
    const loading = () => new Worker('require("node:worker_threads").parentPort.on("message", () => {})', { eval: true });
    const warming = createGlbValidator({ warn: (m) => log.push(m), start: () => (workers.push(loading()), workers.at(-1)!) });
    warming.warm();
    expect(workers).toHaveLength(1);
    const exited = new Promise((resolve) => workers[0]!.once('exit', resolve));
    await warming.close();
    await exited;
    await new Promise((resolve) => setImmediate(resolve)); // the warm-up's own rejection handler
    expect(log).toEqual([]);
  });

  it('close() ends the worker thread; later checks run in-thread', async () => {
    const workers: Worker[] = [];
    const closing = createGlbValidator({ warn: () => {}, start: () => (workers.push(startGlbWorker()), workers.at(-1)!) });
    expect((await closing.validate({ bytes: large.slice() })).threadId).not.toBe(threadId);
    const exited = new Promise((resolve) => workers[0]!.once('exit', resolve));
    await closing.close();
    await exited;
    expect((await closing.validate({ bytes: large.slice() })).threadId).toBe(threadId);
    expect(workers).toHaveLength(1);
  }, 60_000);
});
