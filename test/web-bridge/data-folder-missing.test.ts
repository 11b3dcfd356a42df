// The app (here over the browser transport, the same core as Electron's) started on a data folder
// that held the library and is missing now: refused with what happened and what to do, nothing made
// at the old place, no server left listening; the folder put back opens again.
import { existsSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { knownFoldersFile } from '../../src/core/data-folder-record';
import { startWebApp } from '../../src/web-bridge/start';

const root = mkdtempSync(join(tmpdir(), 'i2m-web-folder-missing-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const knownFolders = { file: knownFoldersFile({ IMAGE2MODEL_KNOWN_FOLDERS: join(root, 'known.json') }), startFresh: 'Run again with --start-fresh.' };
// No test reaches FAL: every call is answered here (prices, key checks).
const offline: typeof fetch = async () => new Response('{"detail":"not here"}', { status: 404, headers: { 'content-type': 'application/json' } });
const start = (dataDir: string) => startWebApp({ dataDir, env: {}, fetch: offline, samplesDir: null, knownFolders });

describe('the app started on a data folder gone missing', () => {
  it('is refused, naming the folder; put back, it opens again', async () => {
    const dataDir = join(root, 'drive', 'Image2Model');
    const first = await start(dataDir); // a first run makes the folder
    await first.close();
    expect(existsSync(join(dataDir, 'image2model.db'))).toBe(true);

    renameSync(join(root, 'drive'), join(root, 'unplugged'));
    await expect(start(dataDir)).rejects.toThrow(`The data folder ${dataDir} held your library and jobs, but it is missing now`);
    expect(existsSync(join(root, 'drive'))).toBe(false); // nothing made at the old place: the real one can go back

    renameSync(join(root, 'unplugged'), join(root, 'drive'));
    const again = await start(dataDir);
    await again.close();
  });

  it('a folder never opened before is made, as on a first run', async () => {
    const dataDir = join(root, 'new', 'Image2Model');
    const app = await start(dataDir);
    await app.close();
    expect(existsSync(join(dataDir, 'image2model.db'))).toBe(true);
  });
});
