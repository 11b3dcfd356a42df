// Attack: the "name taken, try the next" loops of every export (the automatic export and the CLI's
// copy of a reused model, the CLI's --out file, the export studio, an OBJ's MTL) had no end. In a
// folder where every name is taken - or on a file system that answers "exists" to every name (a broken
// network share, a FUSE mount) - the export never finished: the freeExportPath search even froze the
// thread. Now each gives up after MAX_NAME_TRIES names (an OBJ's companions: 1,000), writes nothing,
// and says what to do.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { writeJobOutput } from '../../src/cli/write-output';
import { copyToFreePath, freeExportPath } from '../../src/core/auto-export';
import { createExportService } from '../../src/core/export/service';
import type { RecipeRunner } from '../../src/core/export/worker-pool';
import { exportModel } from '../../src/core/library/export-model';
import { ExportRecipeSchema } from '../../src/shared/export-recipe';
import { makeTestGlb } from '../fixtures/make-glb';
import { createHarness, pngItem, type Harness } from '../core/engine/harness';

// The file system of a folder `fake.dir` where every name is taken (`taken`: lstat and existsSync find
// something there), or where link() answers EEXIST to every name (`linkExists`). A loop that runs far
// past the bound fails with EIO, so old code ends instead of hanging the test.
const fake = vi.hoisted(() => ({ dir: '', taken: null as RegExp | null, linkExists: false, calls: 0 }));
vi.mock('node:fs', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs')>();
  const RUNAWAY = 30_000;
  const inFolder = (path: unknown) => fake.dir !== '' && String(path).startsWith(fake.dir);
  const count = () => {
    if (++fake.calls > RUNAWAY) throw Object.assign(new Error('EIO: the test stopped a runaway loop'), { code: 'EIO' });
  };
  const isTaken = (path: unknown) => inFolder(path) && !!fake.taken?.test(String(path).slice(fake.dir.length + 1));
  const lstatSync = ((path: Parameters<typeof real.lstatSync>[0], options?: Parameters<typeof real.lstatSync>[1]) => {
    if (isTaken(path)) {
      count();
      return real.lstatSync(fake.dir);
    }
    return real.lstatSync(path, options);
  }) as typeof real.lstatSync;
  const existsSync: typeof real.existsSync = (path) => {
    if (isTaken(path)) {
      count();
      return true;
    }
    return real.existsSync(path);
  };
  const linkSync: typeof real.linkSync = (existing, newPath) => {
    if (fake.linkExists && inFolder(newPath)) {
      count();
      throw Object.assign(new Error(`EEXIST: file already exists, link -> '${String(newPath)}'`), { code: 'EEXIST' });
    }
    return real.linkSync(existing, newPath);
  };
  const patched = { lstatSync, existsSync, linkSync };
  return { ...real, ...patched, default: { ...real, ...patched } };
});

const NO_FREE_NAME = /^No free file name in .*: chair\.glb and the next 9,999 names after it \(-2, -3, \.\.\.\) are all taken, or the folder answers that they are\. Nothing was written\. Move or delete old exports there, or choose another folder\.$/;

let root: string;
let out: string;
let src: string;
let h: Harness | undefined;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'i2m-name-bound-'));
  out = join(root, 'out');
  src = join(root, 'model.glb');
  writeFileSync(src, 'the model');
  mkdirSync(out);
  Object.assign(fake, { dir: '', taken: null, linkExists: false, calls: 0 });
});
afterEach(async () => {
  fake.dir = '';
  await h?.close();
  h = undefined;
  rmSync(root, { recursive: true, force: true });
});

/** From now on the fake answers for the names in `out` (a real, empty folder). */
const setUpOut = (state: Partial<typeof fake>) => Object.assign(fake, { dir: out, calls: 0, ...state });

describe('a folder where every name is taken', () => {
  it('freeExportPath gives up after 10,000 names', () => {
    setUpOut({ taken: /^chair(-\d+)?\.glb$/ });
    expect(() => freeExportPath(out, 'chair')).toThrow(NO_FREE_NAME);
  });

  it('the automatic export (and the CLI reusing a model) gives up and leaves no temp file', async () => {
    setUpOut({ linkExists: true });
    await expect(copyToFreePath(src, out, 'chair')).rejects.toThrow(NO_FREE_NAME);
    expect(readdirSync(out)).toEqual([]);
  });

  it("the CLI's --out file gives up and leaves no temp file", async () => {
    h = await createHarness({ start: false });
    const added = await h.engine.addImages([await pngItem('chair.png')], { outputDir: out });
    setUpOut({ linkExists: true });
    await expect(writeJobOutput(h.engine, added.added[0]!.id, src, { dir: out, name: 'chair.png' })).rejects.toThrow(NO_FREE_NAME);
    expect(readdirSync(out)).toEqual([]);
  });

  it('the export studio gives up and says so (not that the folder cannot be written)', async () => {
    const bytes = new TextEncoder().encode('the model');
    const library = { get: (id: string) => (id === 'm' ? { id, name: 'chair' } : null), filePath: (id: string) => (id === 'm' ? src : null) };
    const runner: RecipeRunner = {
      run: async (source, _recipe, stem) => ({ files: [{ name: `${stem}.glb`, format: 'glb', data: source, triangles: 1 }], plan: {} as never, preview: source, threadId: 0 }),
      warm: () => undefined,
      close: async () => undefined,
    };
    writeFileSync(src, bytes);
    const service = createExportService(library, join(root, 'data'), runner);
    setUpOut({ taken: /^chair(-\d+)?\.glb$/ });
    await expect(service.run('m', ExportRecipeSchema.parse({ formats: ['glb'] }), { dir: out })).rejects.toThrow(NO_FREE_NAME);
    expect(readdirSync(out)).toEqual([]);
  });

  it("an OBJ whose MTL names are all taken is not written, and never over another export's MTL", async () => {
    writeFileSync(src, await makeTestGlb({ triangles: 20, textureSize: 8, seed: 1 }));
    setUpOut({ taken: /^chair(-\d+)?\.mtl$/ });
    writeFileSync(join(out, 'chair.mtl'), "another export's materials");
    await expect(exportModel(src, join(out, 'chair.obj'), 'obj')).rejects.toThrow(/^Export failed: No free file name in .*: chair\.mtl and the next 999 names after it/);
    expect(readdirSync(out)).toEqual(['chair.mtl']);
    expect(readFileSync(join(out, 'chair.mtl'), 'utf8')).toBe("another export's materials");
  });
});
