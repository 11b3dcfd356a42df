// Attack: the CLI's --out copy picked a free name (photo.glb), copied the model beside it under a temp
// name, recorded the name with the job, then renamed the copy over whatever had that name by then:
// two jobs of the same photo name finishing together (or the app's export writing photo.glb in
// that moment) each saw photo.glb free, and the second rename replaced the first file - the user was
// told of two models and had one. Now the copy is put in place only where no file is (a hard link,
// which never replaces; the desktop export's step), and a name taken meanwhile moves to the next one.
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { writeJobOutput } from '../../src/cli/write-output';
import { createHarness, pngItem, type Harness } from '../core/engine/harness';

// The copy of a model into --out can be held at its start.
const copies = vi.hoisted(() => ({ hold: null as Promise<void> | null, onStart: null as (() => void) | null }));
vi.mock('node:fs/promises', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs/promises')>();
  const copyFile: typeof real.copyFile = async (...args) => {
    copies.onStart?.();
    if (copies.hold) await copies.hold;
    return real.copyFile(...args);
  };
  return { ...real, default: { ...real, copyFile }, copyFile };
});

let h: Harness | undefined;
let out: string;
let sources: string;
beforeEach(() => {
  out = mkdtempSync(join(tmpdir(), 'i2m-cli-same-name-'));
  sources = mkdtempSync(join(tmpdir(), 'i2m-cli-same-name-src-'));
  copies.hold = null;
  copies.onStart = null;
});
afterEach(async () => {
  await h?.close();
  h = undefined;
  rmSync(out, { recursive: true, force: true });
  rmSync(sources, { recursive: true, force: true });
});

/** A model file of its own bytes (the copy is a byte copy: any content shows whose file it is). */
function modelFile(label: string): string {
  const path = join(sources, `${label}.glb`);
  writeFileSync(path, `model ${label} `.repeat(200));
  return path;
}

/** The run's copy of job `id`'s model into --out, for a photo named photo.jpg. */
const write = (id: string, src: string) => writeJobOutput(h!.engine, id, src, { dir: out, name: 'photo.jpg' });

async function jobNamed(name: string): Promise<string> {
  const added = await h!.engine.addImages([await pngItem(name)], { outputDir: out });
  return added.added[0]!.id;
}

it('two jobs of the same photo name written at once both keep their file', async () => {
  h = await createHarness({ start: false });
  const [a, b] = [await jobNamed('photo.jpg'), await jobNamed('photo.jpg')];
  const [srcA, srcB] = [modelFile('a'), modelFile('b')];
  let release!: () => void;
  copies.hold = new Promise<void>((resolve) => (release = resolve));
  let started = 0;
  const bothCopying = new Promise<void>((resolve) => (copies.onStart = () => ++started === 2 && resolve()));
  const writes = [write(a, srcA), write(b, srcB)];
  await bothCopying;
  release();
  const [fileA, fileB] = await Promise.all(writes);

  expect(fileA).not.toBe(fileB);
  expect(readFileSync(fileA!, 'utf8')).toBe(readFileSync(srcA, 'utf8'));
  expect(readFileSync(fileB!, 'utf8')).toBe(readFileSync(srcB, 'utf8'));
  expect(readdirSync(out).sort()).toEqual(['photo-2.glb', 'photo.glb']);
  // What each job recorded is the file that holds its model.
  expect(h.engine.claimOutputFile(a, 'x')).toEqual({ file: fileA, claimed: false });
  expect(h.engine.claimOutputFile(b, 'x')).toEqual({ file: fileB, claimed: false });
});

it('a file that appears under the picked name while the model is copied is kept', async () => {
  h = await createHarness({ start: false });
  const id = await jobNamed('photo.jpg');
  const src = modelFile('job');
  // Another export (the app's, another run's) writes photo.glb while this copy is made.
  copies.onStart = () => writeFileSync(join(out, 'photo.glb'), 'not this job');
  const file = await write(id, src);

  expect(readFileSync(join(out, 'photo.glb'), 'utf8')).toBe('not this job');
  expect(file).toBe(join(out, 'photo-2.glb'));
  expect(readFileSync(file!, 'utf8')).toBe(readFileSync(src, 'utf8'));
  expect(h.engine.claimOutputFile(id, 'x')).toEqual({ file, claimed: false });
});

it('a file that appears under the name just recorded with the job is kept, and the job records the name its model got', async () => {
  h = await createHarness({ start: false });
  const id = await jobNamed('photo.jpg');
  const src = modelFile('job');
  // The other export writes photo.glb right after this run recorded it (between the record and the placing).
  const claim = h.engine.claimOutputFile.bind(h.engine);
  let once = false;
  h.engine.claimOutputFile = (jobId, file, ...rest) => {
    const result = claim(jobId, file, ...rest);
    if (!once) {
      once = true;
      writeFileSync(file, 'not this job');
    }
    return result;
  };
  const file = await write(id, src);

  expect(readFileSync(join(out, 'photo.glb'), 'utf8')).toBe('not this job');
  expect(file).toBe(join(out, 'photo-2.glb'));
  expect(readFileSync(file!, 'utf8')).toBe(readFileSync(src, 'utf8'));
  expect(claim(id, 'x')).toEqual({ file, claimed: false });
});

it('a copy of the same model put under the recorded name first (a run rescuing the claim) is not written twice', async () => {
  h = await createHarness({ start: false });
  const id = await jobNamed('photo.jpg');
  const src = modelFile('job');
  const claim = h.engine.claimOutputFile.bind(h.engine);
  let once = false;
  h.engine.claimOutputFile = (jobId, file, ...rest) => {
    const result = claim(jobId, file, ...rest);
    if (!once) {
      once = true;
      writeFileSync(file, readFileSync(src));
    }
    return result;
  };
  expect(await write(id, src)).toBe(join(out, 'photo.glb'));
  expect(readdirSync(out)).toEqual(['photo.glb']);
});
