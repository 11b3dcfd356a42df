// Attack (issue 10 item 6): a compromised page names paths it was never given - an image elsewhere on
// the disk, a missing file, a folder, a symlink out of a folder, a device - to jobs:add, jobs:addSet,
// jobs:addFolder and the export folder. On fab0491 each answer described the path ("was not found",
// "is a folder, not an image file", "is not a regular file", "is a text file", or the image was
// simply read and queued for upload). Now every such path gets the same answer, and nothing is read.
// Paths the user chose (a native dialog, a real drop reported by the preload) keep the helpful words.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppCore, type AppCore } from '../../src/core/app-core';
import { createExportService } from '../../src/core/export/service';
import { exportHandlers } from '../../src/core/export/handlers';
import { createExportFolders } from '../../src/core/export/folders';
import { createMemoryKeyVault } from '../../src/core/keys/memory-vault';
import { createHeadlessPlatform } from '../../src/core/platform';
import { createFileSettingsStore } from '../../src/core/settings/file-store';
import type { EngineApi } from '../../src/core/services-types';
import { ExportRecipeSchema } from '../../src/shared/export-recipe';
import type { Result } from '../../src/shared/result';
import { makeTestGlb, makeTestPng } from '../fixtures/make-glb';

let root = '';
let core: AppCore;
let picked: string[] = [];
/** The same file name in different places, so the answers can be compared word for word. */
const probes: Record<string, string> = {};

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'i2m-attack-paths-'));
  const outside = join(root, 'outside');
  mkdirSync(outside);
  writeFileSync(join(outside, 'secret.txt'), 'not for the page\n');
  const image = await makeTestPng(64, 64);
  for (const place of ['real', 'text', 'missing', 'folder', 'link', 'device', 'empty']) mkdirSync(join(root, place));
  writeFileSync((probes.existingImage = join(root, 'real', 'photo.png')), image);
  writeFileSync((probes.existingText = join(root, 'text', 'photo.png')), 'a text file\n');
  writeFileSync((probes.emptyFile = join(root, 'empty', 'photo.png')), '');
  probes.missing = join(root, 'missing', 'photo.png');
  mkdirSync((probes.directory = join(root, 'folder', 'photo.png')));
  symlinkSync(join(outside, 'secret.txt'), (probes.symlinkOut = join(root, 'link', 'photo.png')));
  symlinkSync('/dev/zero', (probes.device = join(root, 'device', 'photo.png')));
  probes.missingParent = join(root, 'nowhere', 'deeper', 'photo.png');

  const dataDir = join(root, 'data');
  core = createAppCore({
    dataDir,
    keys: createMemoryKeyVault({}),
    settings: createFileSettingsStore(join(dataDir, 'settings.json')),
    platform: createHeadlessPlatform({ pickedImages: () => picked }),
    appInfo: { name: 'Image2Model', version: '0', dataDir, fileBaseUrl: 'x://', platform: 'linux', transport: 'web' },
    logger: { info: () => {}, warn: () => {}, error: () => {} },
  });
});
afterAll(async () => {
  await core.stop();
  rmSync(root, { recursive: true, force: true });
});

type AddAnswer = { added: unknown[]; rejected: { input: string; reason: string }[] };
const dataOf = <T>(result: Result<unknown>): T => {
  if (!result.ok) throw new Error(`call failed: ${result.error.message}`);
  return result.data as T;
};
/** Each probe's answer with its own path (and name) taken out. */
const wordsOf = (text: string, path: string) => text.replaceAll(path, '<path>').replaceAll(basename(path), '<name>');

describe('paths the page names without the user choosing them', () => {
  it('jobs:add answers every path the same, and queues none', async () => {
    const answers: Record<string, string> = {};
    for (const [label, path] of Object.entries(probes)) {
      const answer = dataOf<AddAnswer>(await core.dispatch('jobs:add', { items: [{ kind: 'path', path }] }));
      expect(answer.added, label).toEqual([]);
      answers[label] = wordsOf(answer.rejected[0]?.reason ?? '(accepted)', path);
    }
    const distinct = new Set(Object.values(answers));
    expect(distinct.size, JSON.stringify(answers, null, 1)).toBe(1);
    expect([...distinct][0]).toBe('<name> is not a usable image. Choose it again with Add images, or drop it on the window.');
  });

  it('jobs:addSet answers every path the same, and queues none', async () => {
    const answers = new Set<string>();
    for (const path of Object.values(probes)) {
      const result = await core.dispatch('jobs:addSet', { endpoint: 'tripo3d/tripo/v2.5/multiview-to-3d', inputs: [{ item: { kind: 'path', path }, role: 'front' }] });
      const answer = dataOf<AddAnswer>(result);
      expect(answer.added).toEqual([]);
      answers.add(wordsOf(answer.rejected[0]?.reason ?? '(accepted)', path));
    }
    expect([...answers]).toHaveLength(1);
  });

  it('jobs:addFolder answers every path the same (a real folder too), and scans none', async () => {
    const folders = { ...probes, realFolder: join(root, 'real'), outsideFolder: join(root, 'outside') };
    const answers = new Set<string>();
    for (const path of Object.values(folders)) {
      const answer = dataOf<AddAnswer>(await core.dispatch('jobs:addFolder', { path }));
      expect(answer.added).toEqual([]);
      answers.add(wordsOf(answer.rejected[0]?.reason ?? '(accepted)', path));
    }
    expect([...answers]).toEqual(['<name> is not a usable folder of images. Drop the folder on the window again.']);
  });
});

describe('paths the user chose keep their helpful answers', () => {
  it('a picked image is queued, and "Make again" can send its path back', async () => {
    picked = [probes.existingImage!];
    const first = dataOf<AddAnswer & { duplicates: unknown[] }>(await core.dispatch('jobs:pick', {}));
    expect(first.added).toHaveLength(1);
    const again = dataOf<AddAnswer>(await core.dispatch('jobs:add', { items: [{ kind: 'path', path: probes.existingImage! }], force: true }));
    expect(again.added).toHaveLength(1);
  });

  it('an image of a dropped folder that joined a job on its way: "Make again anyway" can send its path back', async () => {
    // The same photo as the picked one, under another name in a folder: it joins the picked one's job.
    const folder = join(root, 'again');
    mkdirSync(folder);
    const copy = join(folder, 'photo copy.png');
    writeFileSync(copy, readFileSync(probes.existingImage!));
    core.chosenPaths.add(folder);
    const dropped = dataOf<AddAnswer & { joined?: { input: string }[] }>(await core.dispatch('jobs:addFolder', { path: folder }));
    expect(dropped.joined?.map((j) => j.input)).toEqual([copy]);
    const again = dataOf<AddAnswer>(await core.dispatch('jobs:add', { items: [{ kind: 'path', path: copy }], force: true }));
    expect(again.rejected).toEqual([]);
    expect(again.added).toHaveLength(1);
  });

  it('a picked file that is not an image is explained', async () => {
    picked = [probes.existingText!, probes.directory!];
    const answer = dataOf<AddAnswer>(await core.dispatch('jobs:pick', {}));
    expect(answer.rejected.map((r) => r.reason)).toEqual([
      'photo.png is a text file, not an image. Use a PNG, JPEG, WebP, GIF or AVIF image.',
      'photo.png is a folder, not an image file.',
    ]);
  });

  it('a path reported by the preload (a real drop) is used', async () => {
    core.chosenPaths.add(probes.emptyFile!);
    const answer = dataOf<AddAnswer>(await core.dispatch('jobs:add', { items: [{ kind: 'path', path: probes.emptyFile! }] }));
    expect(answer.rejected[0]?.reason).toBe('photo.png is empty (0 bytes): a download or copy that did not finish leaves such a file. Use the complete image.');
  });
});

describe('export folders', () => {
  // A folder the page names without the user picking it is refused before anything is looked at
  // (test/attack/export-folder-oracle.test.ts); these were picked, then could not be written.
  it('every chosen folder that cannot be used gets the same answer, whatever is there', async () => {
    const glb = join(root, 'model.glb');
    writeFileSync(glb, await makeTestGlb({ triangles: 100 }));
    const library = { get: (id: string) => (id === 'm1' ? { id, name: 'Chair' } : null), filePath: (id: string) => (id === 'm1' ? glb : null) };
    const dataDir = join(root, 'export-data');
    const settings = createFileSettingsStore(join(dataDir, 'settings.json'));
    const chosen = createExportFolders(settings, dataDir);
    const handlers = exportHandlers({ exports: createExportService(library, dataDir), engine: {} as EngineApi, settings, dataDir, folders: chosen });
    const recipe = ExportRecipeSchema.parse({ formats: ['glb'] });
    const folders = {
      underAFile: join(root, 'text', 'photo.png', 'out'),
      isAFile: probes.existingText!,
      underADevice: '/dev/null/out',
      inProc: '/proc/self/out',
    };
    for (const dir of Object.values(folders)) chosen.remember(dir);
    const answers = new Set<string>();
    for (const dir of Object.values(folders)) {
      const error = await handlers['export:run']({ id: 'm1', recipe, dir }).then(() => null, (e: Error) => e.message);
      answers.add(wordsOf(error ?? '(written)', dir));
    }
    expect([...answers]).toEqual(['The folder <path> could not be used for the export. Choose a folder you can write to.']);
  });
});
