// Attack: a CLI run claimed a finished job's --out file (recorded with the job), then could not put
// its copy there (the disk full while placing it) and gave up with the claim still recorded. Every
// later run took the job's model as written by another run: once a file appeared under that name (the
// app's export of another photo.jpg, say), `resume` reported that file as this job's model, and the
// job was no longer unwritten, so no run ever wrote it. Now a run that gives up gives its claim back.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it, vi } from 'vitest';
import { writeJobOutput, writeJoinedOutput } from '../../src/cli/write-output';
import { exportModel } from '../../src/core/library/export-model';
import { createHarness, inState, pngItem, waitForJob, type Harness } from '../core/engine/harness';

// link() (how the copy is put in place) fails with ENOSPC while `fullDisk` is set.
const disk = vi.hoisted(() => ({ full: false }));
vi.mock('node:fs', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs')>();
  const linkSync: typeof real.linkSync = (existing, newPath) => {
    if (disk.full) throw Object.assign(new Error(`ENOSPC: no space left on device, link -> '${String(newPath)}'`), { code: 'ENOSPC' });
    return real.linkSync(existing, newPath);
  };
  return { ...real, linkSync, default: { ...real, linkSync } };
});

let h: Harness | undefined;
let out: string | undefined;
afterEach(async () => {
  disk.full = false;
  await h?.close();
  h = undefined;
  if (out) rmSync(out, { recursive: true, force: true });
  out = undefined;
});

it('a run that gives up after claiming the job file (and a joined one) gives the claims back: the next run writes the model', async () => {
  h = await createHarness();
  out = mkdtempSync(join(tmpdir(), 'i2m-claim-given-up-'));
  const item = await pngItem('mug.png');
  const id = (await h.engine.addImages([item], { outputDir: out })).added[0]!.id;
  // The same photo under another name joins the job and asks for its own file.
  expect((await h.engine.addImages([{ ...item, name: 'cup.png' }], { outputDir: out })).joined).toEqual([{ input: 'cup.png', jobId: id, item: 0 }]);
  const job = await waitForJob(h.engine, id, inState('succeeded'));
  const src = h.engine.library.filePath(job.modelId!)!;
  const [joined] = h.engine.joinedOutputs(id);

  disk.full = true;
  await expect(writeJobOutput(h.engine, id, src, { dir: out, name: 'mug.png' })).rejects.toThrow(/ENOSPC/);
  await expect(writeJoinedOutput(h.engine, id, joined!, src, { dir: out, name: 'cup.png' })).rejects.toThrow(/ENOSPC/);
  disk.full = false;
  // Nothing was written: `resume` must see the job as still to write.
  expect(h.engine.unwrittenOutputs()).toEqual([id]);

  // Another export takes both names meanwhile.
  writeFileSync(join(out, 'mug.glb'), 'another model');
  writeFileSync(join(out, 'cup.glb'), 'another model');

  // The next run writes this job's model beside them, never reporting their file as its own.
  const model = join(out, 'expected.bin');
  await exportModel(src, model, 'glb');
  const own = await writeJobOutput(h.engine, id, src, { dir: out, name: 'mug.png' });
  const copy = await writeJoinedOutput(h.engine, id, joined!, src, { dir: out, name: 'cup.png' });
  expect([own, copy]).toEqual([join(out, 'mug-2.glb'), join(out, 'cup-2.glb')]);
  for (const file of [own!, copy!]) expect(readFileSync(file).equals(readFileSync(model))).toBe(true);
  expect(readFileSync(join(out, 'mug.glb'), 'utf8')).toBe('another model');
  expect(h.engine.unwrittenOutputs()).toEqual([]);
});
