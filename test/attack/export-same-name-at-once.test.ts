// Two exports of the same name at once - two models called "Chair" exported from two windows, or the
// automatic export of a new "Chair" while the export studio writes another - each looked for a free
// name, both saw Chair.glb free, and the second file replaced the first: the user was told of two
// exports and had one, with the other model's content. Now each file is put in place only where no file is
// (a hard link, which never replaces), so the second export takes Chair-2.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Job } from '../../src/shared/domain';
import { ExportRecipeSchema } from '../../src/shared/export-recipe';
import { startAutoExport } from '../../src/core/auto-export';
import { writeFileNew } from '../../src/core/library/files';
import { createExportService } from '../../src/core/export/service';
import type { RecipeRunner } from '../../src/core/export/worker-pool';
import type { EngineApi, SettingsStore } from '../../src/core/services-types';
import type { Logger } from '../../src/core/app-core';

// The automatic export's copy of the model can be held at its start (see `holdCopies`).
const copies = vi.hoisted(() => ({ hold: null as Promise<void> | null, started: [] as string[] }));
vi.mock('node:fs/promises', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs/promises')>();
  const copyFile: typeof real.copyFile = async (...args) => {
    copies.started.push(String(args[0]));
    if (copies.hold) await copies.hold;
    return real.copyFile(...args);
  };
  return { ...real, default: { ...real, copyFile }, copyFile };
});

// A file system without hard links while `links.none` names the error link() gives there: EPERM (Linux
// vfat), ENOTSUP and EACCES (network shares), EISDIR (Windows on FAT32 and exFAT - USB sticks:
// CreateHardLink fails with ERROR_INVALID_FUNCTION, which libuv reports as EISDIR; exports there failed).
const links = vi.hoisted(() => ({ none: null as string | null }));
vi.mock('node:fs', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs')>();
  const linkSync: typeof real.linkSync = (...args) => {
    if (links.none) throw Object.assign(new Error(`${links.none}: link`), { code: links.none });
    return real.linkSync(...args);
  };
  return { ...real, default: { ...real, linkSync }, linkSync };
});

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'i2m-export-same-name-'));
  copies.hold = null;
  copies.started = [];
  links.none = null;
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Two library models, both called "Chair", each file its own bytes. */
async function twoChairs() {
  const models = new Map<string, { id: string; name: string; path: string; bytes: Uint8Array }>();
  for (const id of ['a', 'b']) {
    const bytes = new TextEncoder().encode(`model ${id}`.repeat(100));
    const path = join(dir, `${id}.glb`);
    await writeFile(path, bytes);
    models.set(id, { id, name: 'Chair', path, bytes });
  }
  return {
    models,
    library: { get: (id: string) => models.get(id) ?? null, filePath: (id: string) => models.get(id)?.path ?? null },
  };
}

/** A recipe runner that "makes" a model's file from its bytes, answering only once `release` is called. */
function heldRunner() {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  const runner: RecipeRunner = {
    run: async (source, _recipe, stem) => {
      await released;
      return {
        files: [{ name: `${stem}.glb`, format: 'glb', data: source, triangles: 1 }],
        plan: {} as never,
        preview: source,
        threadId: 0,
      };
    },
    warm: () => undefined,
    close: async () => undefined,
  };
  return { runner, release };
}

const GLB = ExportRecipeSchema.parse({ formats: ['glb'] });
const text = (path: string) => new TextDecoder().decode(readFileSync(path));

describe('two exports of the same name at once', () => {
  it('from the export studio: each model keeps its own file', async () => {
    const { models, library } = await twoChairs();
    const { runner, release } = heldRunner();
    const service = createExportService(library, join(dir, 'data'), runner);
    const out = join(dir, 'out');
    const both = Promise.all([service.run('a', GLB, { dir: out }), service.run('b', GLB, { dir: out })]);
    release();
    const [a, b] = await both;
    expect(a.files).not.toEqual(b.files);
    expect(readdirSync(out).sort()).toEqual(['Chair-2.glb', 'Chair.glb']);
    expect(text(a.files[0]!)).toBe(new TextDecoder().decode(models.get('a')!.bytes));
    expect(text(b.files[0]!)).toBe(new TextDecoder().decode(models.get('b')!.bytes));
  });

  it('the automatic export and the export studio: neither writes over the other', async () => {
    const { models, library } = await twoChairs();
    const out = join(dir, 'out');
    const { runner, release } = heldRunner();
    const service = createExportService(library, join(dir, 'data'), runner);
    // The studio exports model a; its plan is still being made.
    const studio = service.run('a', GLB, { dir: out });

    let onJob: (job: Job) => void = () => undefined;
    const engine = { on: (_event: string, listener: (job: Job) => void) => ((onJob = listener), () => undefined), library } as unknown as EngineApi;
    const settings = { get: () => ({ exportAfterSuccess: true, outputFolder: out, autoExportPreset: null, notifications: false }) } as unknown as SettingsStore;
    const warnings: string[] = [];
    const logger = { info: () => undefined, warn: (message: string) => warnings.push(message), error: () => undefined } as unknown as Logger;
    startAutoExport(engine, settings, join(dir, 'exports'), logger, undefined);

    // Model b finishes: the automatic export picks its name and starts copying (held there) ...
    let resume!: () => void;
    copies.hold = new Promise<void>((resolve) => (resume = resolve));
    onJob({ id: 'job-b', state: 'succeeded', modelId: 'b' } as Job);
    await vi.waitFor(() => expect(copies.started).toEqual([models.get('b')!.path]));
    // ... while the studio's export of model a is written.
    release();
    const written = await studio;
    resume();
    // Both written: no temp file left, none empty (a name claimed but not written yet).
    const settled = () => readdirSync(out).length >= 2 && readdirSync(out).every((f) => !f.startsWith('.') && statSync(join(out, f)).size > 0);
    await vi.waitFor(() => expect(settled()).toBe(true));

    expect(warnings).toEqual([]);
    expect(readdirSync(out).sort()).toEqual(['Chair-2.glb', 'Chair.glb']);
    expect(text(written.files[0]!)).toBe(new TextDecoder().decode(models.get('a')!.bytes));
    const other = ['Chair.glb', 'Chair-2.glb'].map((f) => join(out, f)).find((f) => f !== written.files[0])!;
    expect(existsSync(other)).toBe(true);
    expect(text(other)).toBe(new TextDecoder().decode(models.get('b')!.bytes));
  });

  it.each(['EPERM', 'ENOTSUP', 'EACCES', 'EISDIR'])('where the folder has no hard links (link fails with %s), exports are written and a file there is still never replaced', async (code) => {
    links.none = code;
    const path = join(dir, 'Chair.glb');
    await writeFile(path, 'the first export');
    expect(await writeFileNew(path, new TextEncoder().encode('the second'))).toBe(false);
    expect(await writeFileNew(join(dir, 'Chair-2.glb'), new TextEncoder().encode('the second'))).toBe(true);
    expect(readdirSync(dir).sort()).toEqual(['Chair-2.glb', 'Chair.glb']);
    expect([text(path), text(join(dir, 'Chair-2.glb'))]).toEqual(['the first export', 'the second']);
  });
});
