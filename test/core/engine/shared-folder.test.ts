// Two engines on one data folder (the desktop app and a CLI run): what one cleans up at start must
// never be what the other is still working on.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../../../src/core/engine';
import { addOne, createHarness, FAST_TIMING, inState, waitForJob, type Harness } from './harness';

let h: Harness | undefined;
let other: Engine | undefined;
afterEach(async () => {
  await other?.close();
  other = undefined;
  await h?.close();
  h = undefined;
});

async function until<T>(probe: () => T | undefined, timeoutMs = 10_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Another process's engine on the same folder (no key: it runs nothing itself); `logs` gets its info lines. */
function otherEngine(dataDir: string, timing: Partial<typeof FAST_TIMING> = {}, logs: string[] = []): Engine {
  const logger = { info: (line: string) => void logs.push(line), warn: () => {}, error: () => {} };
  return createEngine({ dataDir, getFalKey: () => null, logger, timing: { ...FAST_TIMING, ...timing } });
}

/** Waits for the engine's sweep of unreferenced library files to report. */
async function swept(logs: string[]): Promise<string> {
  return until(() => logs.find((line) => line.startsWith('library sweep:')));
}

const HOUR = 3_600_000;

/** A file named by its content's hash where files.ts stores it (`<dir>/<sha[0..2]>/<sha>.<ext>`), `ageMs` old. */
function storedFile(dir: string, content: string, ext: string, ageMs: number): string {
  const sha = createHash('sha256').update(content).digest('hex');
  mkdirSync(join(dir, sha.slice(0, 2)), { recursive: true });
  return plantedFile(join(dir, sha.slice(0, 2), `${sha}.${ext}`), content, ageMs);
}

function plantedFile(path: string, content: string, ageMs: number): string {
  writeFileSync(path, content);
  const when = new Date(Date.now() - ageMs);
  utimesSync(path, when, when);
  return path;
}

/** Every file under `dir` (two levels), relative. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name).slice(dir.length + 1))
    .sort();
}

describe('start-up clean-up of temp files', () => {
  it("spares a download that stalled past the other process's minimum age; the job succeeds with one download", async () => {
    h = await createHarness({ engine: { timing: { tempFileTouchMs: 50, downloadTimeoutMs: 30_000 } } });
    h.fake.script({ op: 'file', when: (ctx) => ctx.targetUrl.includes('.glb'), fault: { kind: 'stall', bytes: 1_000 } });
    const id = await addOne(h.engine);
    const library = join(h.dataDir, 'library');
    const temp = await until(() => readdirSync(library).find((name) => name.endsWith('.download')));
    const born = statSync(join(library, temp)).birthtimeMs || Date.now();
    // Stalled (nothing written) for longer than the other process's minimum age.
    await until(() => (Date.now() - born > 3_000 ? true : undefined));

    other = otherEngine(h.dataDir, { tempFileMinAgeMs: 2_500 });
    await other.start();
    expect(existsSync(join(library, temp))).toBe(true);

    expect(h.fake.releaseStalled()).toBe(1);
    const job = await waitForJob(h.engine, id, inState('succeeded', 'failed', 'needs_attention'));
    expect(job.state).toBe('succeeded');
    expect(h.fake.requestsFor('file').filter((r) => r.targetUrl.includes('.glb'))).toHaveLength(1);
    expect(h.fake.requestsFor('result')).toHaveLength(1);
  });
});

describe('unreferenced library files (a kill between storing a file and committing its row)', () => {
  it('removes old unreferenced content-hash files; keeps referenced, young and any other files', async () => {
    h = await createHarness();
    const id = await addOne(h.engine);
    const done = await waitForJob(h.engine, id, inState('succeeded'));
    expect(h.engine.library.get(done.modelId!)?.hasPreview).toBe(true);
    await h.engine.close();
    const library = join(h.dataDir, 'library');
    const previews = join(h.dataDir, 'previews');
    // The model's own files, made old: kept because a row names them.
    const inUse = [...filesUnder(library).map((f) => join(library, f)), ...filesUnder(previews).map((f) => join(previews, f))];
    expect(inUse).toHaveLength(2);
    for (const path of inUse) utimesSync(path, new Date(Date.now() - 2 * HOUR), new Date(Date.now() - 2 * HOUR));

    const orphanModel = storedFile(library, 'orphan model', 'glb', 2 * HOUR);
    const orphanPreview = storedFile(previews, 'orphan preview', 'png', 2 * HOUR);
    const young = storedFile(library, 'stored a moment ago by the other process', 'glb', 1_000);
    const shard = orphanModel.split('/').at(-2)!;
    const others = [
      plantedFile(join(library, 'my model.glb'), 'a file of the user', 2 * HOUR),
      plantedFile(join(library, shard, 'notes.txt'), 'not a content name', 2 * HOUR),
      plantedFile(join(library, shard, `${'0'.repeat(64)}.glb`), 'a content name in the wrong folder', 2 * HOUR),
      plantedFile(join(library, shard, `${shard}${'A'.repeat(62)}.glb`), 'upper case: not ours', 2 * HOUR),
      plantedFile(join(previews, `${'1'.repeat(64)}.png`), 'a content name outside a shard', 2 * HOUR),
    ];
    mkdirSync(join(library, 'zz'));
    others.push(plantedFile(join(library, 'zz', `${'2'.repeat(64)}.glb`), 'not a hash folder', 2 * HOUR));

    const logs: string[] = [];
    other = otherEngine(h.dataDir, {}, logs);
    await other.start();
    expect(await swept(logs)).toBe('library sweep: removed 2 unreferenced file(s) of 5 checked');
    expect(existsSync(orphanModel)).toBe(false);
    expect(existsSync(orphanPreview)).toBe(false);
    for (const path of [...inUse, young, ...others]) expect(existsSync(path), path).toBe(true);
    expect(other.library.get(done.modelId!)).not.toBeNull();
  });

  it('a file stored by another engine whose commit is pending: kept while young; taken anyway, the commit stores it again', async () => {
    h = await createHarness({ engine: { timing: { downloadTimeoutMs: 30_000 } } });
    // The preview hangs, so the model file is stored (renamed into the library) but its row not committed.
    h.fake.script({ op: 'file', when: (ctx) => ctx.targetUrl.includes('.png'), fault: { kind: 'stall', bytes: 10 } });
    const id = await addOne(h.engine);
    const library = join(h.dataDir, 'library');
    const stored = await until(() => filesUnder(library).find((f) => f.endsWith('.glb')));
    expect(h.engine.getJob(id)!.modelId).toBeNull();

    // Another process starts now: the file is young (storing renewed its time), so it stays.
    let logs: string[] = [];
    other = otherEngine(h.dataDir, {}, logs);
    await other.start();
    await swept(logs);
    expect(existsSync(join(library, stored))).toBe(true);
    await other.close();

    // Even with no minimum age, the commit is safe: the sweep takes the file under the write lock, the
    // commit (under the same lock) sees it gone and stores it again.
    logs = [];
    other = otherEngine(h.dataDir, { orphanFileMinAgeMs: 0 }, logs);
    await other.start();
    expect(await swept(logs)).toMatch(/removed 1 /);
    expect(existsSync(join(library, stored))).toBe(false);

    h.fake.releaseStalled();
    const done = await waitForJob(h.engine, id, inState('succeeded', 'failed', 'needs_attention'));
    expect(done.state).toBe('succeeded');
    expect(existsSync(join(library, stored))).toBe(true);
    expect(h.fake.requestsFor('file').filter((r) => r.targetUrl.includes('.glb'))).toHaveLength(1);
  });
});
