// Attack: a CLI run is killed between claiming a finished job's --out file (recorded in the database)
// and renaming its complete copy into place - the state a kill there leaves is "claimed, no file".
// Every later run was told "written by another run" and reported that missing file as the model,
// and nothing wrote it again (the job no longer counted as unwritten for `resume`). Now a run that
// finds the claimed file missing puts its own complete copy there (same model, same bytes, so a run
// still renaming its copy over it changes nothing).
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { writeJobOutput, writeJoinedOutput } from '../../src/cli/write-output';
import { checkGlbHeader } from '../../src/core/library/glb';
import { createHarness, inState, pngItem, waitForJob, type Harness } from '../core/engine/harness';

let h: Harness | undefined;
let out: string | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
  if (out) rmSync(out, { recursive: true, force: true });
  out = undefined;
});

it('a file claimed by a run killed before it was in place is written by the next run (the job own file and a joined one)', async () => {
  h = await createHarness();
  out = mkdtempSync(join(tmpdir(), 'i2m-claimed-'));
  const item = await pngItem('mug.png');
  const first = await h.engine.addImages([item], { outputDir: out });
  const id = first.added[0]!.id;
  // The same photo under another name joins the job and asks for its own file.
  const again = await h.engine.addImages([{ ...item, name: 'mug copy.png' }], { outputDir: out });
  expect(again.joined).toEqual([{ input: 'mug copy.png', jobId: id, item: 0 }]);
  const job = await waitForJob(h.engine, id, inState('succeeded'));
  const src = h.engine.library.filePath(job.modelId!)!;

  // The killed run: both files claimed, neither renamed into place.
  const own = join(out, 'mug.glb');
  const copy = join(out, 'mug copy.glb');
  const [joined] = h.engine.joinedOutputs(id);
  expect(h.engine.claimOutputFile(id, own)).toEqual({ file: own, claimed: true });
  expect(h.engine.claimJoinedOutput(id, joined!, copy)).toEqual({ file: copy, claimed: true });

  // The next run.
  expect(await writeJobOutput(h.engine, id, src, { dir: out, name: 'mug.png' })).toBe(own);
  expect(await writeJoinedOutput(h.engine, id, joined!, src, { dir: out, name: 'mug copy.png' })).toBe(copy);
  for (const file of [own, copy]) {
    expect(existsSync(file)).toBe(true);
    expect(checkGlbHeader(readFileSync(file))).toMatchObject({ ok: true });
  }
});
