// Saving (or deleting) an export preset whose file cannot be written answered "Export failed: ENOSPC:
// no space left on device, write" - though nothing was exported - and a delete "Something went wrong
// inside the app". Now the answer says the preset was not saved (deleted), why in plain words, that the
// saved presets are as they were, and what to do.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { exportHandlers } from '../../../src/core/export/handlers';
import { createExportService } from '../../../src/core/export/service';
import { createDispatcher } from '../../../src/core/ipc/dispatch';
import { PRESETS_FILE } from '../../../src/core/export/preset-store';
import type { EngineApi, SettingsStore } from '../../../src/core/services-types';
import type { Handlers } from '../../../src/shared/contract';

// The presets file's write fails with `fail.code` while it is set.
const fail = vi.hoisted(() => ({ code: null as string | null }));
vi.mock('../../../src/core/library/files', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../../src/core/library/files')>();
  return {
    ...real,
    writeFileAtomic: async (path: string, data: Uint8Array) => {
      if (fail.code && path.endsWith('export-presets.json')) throw Object.assign(new Error(`${fail.code}: failed, open '${path}.tmp'`), { code: fail.code });
      return real.writeFileAtomic(path, data);
    },
  };
});

let dataDir: string;
beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'i2m-preset-save-failed-'));
  fail.code = null;
});
afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

/** The export channels as the window calls them (through the dispatcher, which the page's errors pass). */
function openChannels() {
  const library = { get: () => null, filePath: () => null };
  const settings = { get: () => ({ exportFolders: [], outputFolder: '' }), set: () => undefined } as unknown as SettingsStore;
  const handlers = exportHandlers({ exports: createExportService(library, dataDir), engine: {} as EngineApi, settings, dataDir });
  const dispatch = createDispatcher(handlers as Handlers);
  return (channel: string, input: unknown) => dispatch(channel, input);
}

const save = { label: 'Resin print', recipe: { formats: ['stl'] } };

describe('a preset whose file cannot be written', () => {
  it.each([
    ['ENOSPC', 'the disk is full', 'Free some disk space, then save it again.'],
    ['EACCES', 'the app is not allowed to write in its data folder (DATA)', 'Check the permissions of that folder, then save it again.'],
    ['EROFS', "the app's data folder (DATA) is on a read-only disk", 'Make that disk writable, then save it again.'],
    ['EIO', 'DATA/export-presets.json could not be written (EIO)', "Check the disk and the app's data folder, then save it again."],
  ])('save (%s): says the preset was not saved, why and what to do - not "Export failed"', async (code, why, todo) => {
    const call = openChannels();
    fail.code = code;
    const answer = await call('export:savePreset', save);
    expect(answer).toEqual({
      ok: false,
      error: { code: 'io_error', message: `The preset "Resin print" could not be saved: ${why.replace('DATA', dataDir)}. Your saved presets are as they were. ${todo}` },
    });
    fail.code = null;
    expect((await call('export:savePreset', save)).ok).toBe(true);
  });

  it('delete: says the preset was not deleted and is still there', async () => {
    const call = openChannels();
    const saved = await call('export:savePreset', save);
    if (!saved.ok) throw new Error(saved.error.message);
    const id = (saved.data as { id: string }).id;
    const before = readFileSync(join(dataDir, PRESETS_FILE), 'utf8');
    fail.code = 'ENOSPC';
    expect(await call('export:deletePreset', { id })).toEqual({
      ok: false,
      error: { code: 'io_error', message: 'The preset "Resin print" could not be deleted: the disk is full. Your saved presets are as they were. Free some disk space, then delete it again.' },
    });
    expect(readFileSync(join(dataDir, PRESETS_FILE), 'utf8')).toBe(before);
  });
});
