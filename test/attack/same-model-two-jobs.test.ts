// Attack on library ingest: two jobs (two processes, or a job whose lease another process took over)
// store the same model (same content hash) at once. The job that stored it first loses its commit
// (lease taken over) and removes "its" file - while the other job, which found the file already in
// place, commits a library row pointing at it. Before the fix the library kept a row without its file.
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../src/core/db/open';
import { ingestModel } from '../../src/core/engine/library-ingest';
import { JobWriter } from '../../src/core/engine/job-writer';
import type { RunContext, RunnerDeps } from '../../src/core/engine/run-context';
import { LeaseLostError } from '../../src/core/engine/run-errors';
import { TEMP_PREFIX } from '../../src/core/library/files';
import { validateGlb } from '../../src/core/library/glb';
import { LibraryStore } from '../../src/core/library/store';
import { JobStore, type JobRow } from '../../src/core/queue/store';
import { makeTestGlb } from '../fixtures/make-glb';

let dataDir: string | null = null;
let db: Db | null = null;
afterEach(() => {
  db?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  db = null;
  dataDir = null;
});

function gate(): { wait: Promise<void>; open: () => void } {
  let open = () => undefined as void;
  const wait = new Promise<void>((resolve) => (open = resolve));
  return { wait, open };
}

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  expect(check()).toBe(true);
}

describe('the same model stored by two jobs at once', () => {
  it.each([
    ['kept in memory', false],
    ['moved to the check worker', true],
  ])('the job that loses its commit never leaves the other job a row without its file (bytes %s)', async (_, bytesMoved) => {
    dataDir = mkdtempSync(join(tmpdir(), 'i2m-same-sha-'));
    const dirs = { data: dataDir, library: join(dataDir, 'library'), previews: join(dataDir, 'previews') };
    mkdirSync(dirs.library, { recursive: true });
    db = openDatabase(join(dataDir, 'image2model.db'));
    const store = new JobStore(db);
    const library = new LibraryStore(db, dataDir);
    const deps = {
      store,
      library,
      dirs,
      now: () => Date.now(),
      redact: (text: string) => text,
      onJob: () => undefined,
      onLibraryAdded: () => undefined,
      validateGlb: async (model: { bytes: Uint8Array }) => {
        const checked = await validateGlb(model.bytes);
        // A large model's bytes move to the check worker (transferred): unusable here afterwards.
        if (bytesMoved) structuredClone(model.bytes.buffer, { transfer: [model.bytes.buffer as ArrayBuffer] });
        return checked;
      },
      logger: { info: () => undefined, warn: () => undefined, error: () => undefined },
      dataFolderGone: () => false,
    } as unknown as RunnerDeps;
    const job = (name: string) => ({
      id: randomUUID(),
      endpoint: 'fal-ai/trellis',
      provider: 'fal' as const,
      preset: 'standard' as const,
      optionsJson: '{}',
      inputName: `${name}.png`,
      inputPath: `inputs/${name}.png`,
      inputSha256: name,
      inputMime: 'image/png',
      maxAttempts: 3,
      createdAt: 1,
      estimatedCostUsd: 0.02,
    });
    store.insertMany([job('a'), job('b')]);
    // Both were made by FAL and are being stored.
    const claim = () => {
      const row = store.claimNext({ owner: 'w', now: Date.now(), leaseMs: 60_000, falAllowed: true })!;
      store.update(row.id, row.fence, { state: 'running' }, Date.now());
      return store.update(row.id, row.fence, { state: 'downloading' }, Date.now())!;
    };
    const rowA = claim();
    const rowB = claim();
    // Another process took job A over: this worker's fence is stale, its commit is refused.
    const staleA: JobRow = { ...rowA, fence: rowA.fence - 1 };
    const ctx = (row: JobRow): RunContext => ({ deps, writer: new JobWriter(deps, row), signal: new AbortController().signal, acquireSlot: async () => undefined, releaseSlot: () => undefined });

    const glb = await makeTestGlb();
    const sha256 = createHash('sha256').update(glb).digest('hex');
    const target = join(dirs.library, sha256.slice(0, 2), `${sha256}.glb`);
    const downloaded = (name: string) => {
      const path = join(dirs.library, `${TEMP_PREFIX}${name}.download`);
      writeFileSync(path, glb);
      return { path, size: glb.byteLength, sha256 };
    };
    const previewA = gate();
    const previewB = gate();

    // A moves its download into place first; B then finds the same content there.
    const tempA = downloaded('a');
    const runA = ingestModel(ctx(staleA), { bytes: glb.slice(), tempFile: tempA }, async () => (await previewA.wait, null), null);
    await until(() => existsSync(target) && !existsSync(tempA.path));
    const tempB = downloaded('b');
    const runB = ingestModel(ctx(rowB), { bytes: glb.slice(), tempFile: tempB }, async () => (await previewB.wait, null), null);
    await until(() => !existsSync(tempB.path));

    previewA.open();
    await expect(runA).rejects.toBeInstanceOf(LeaseLostError);
    previewB.open();
    const models = () => library.allFiles();
    if (bytesMoved) {
      // Nothing left to store it from: the job fails with its request id kept (Download again is free).
      await expect(runB).rejects.toMatchObject({ code: 'result_download_failed', requestDone: false });
      expect(models()).toEqual([]);
      return;
    }
    await runB;
    expect(models()).toHaveLength(1);
    expect(store.get(rowB.id)?.state).toBe('succeeded');
    // The row B committed has its file, with the model's content.
    expect(existsSync(models()[0]!.filePath)).toBe(true);
    expect(createHash('sha256').update(readFileSync(models()[0]!.filePath)).digest('hex')).toBe(sha256);
  });
});
