// "Is this path inside that folder", attacked through each real entry that asks it: the browser
// bridge's static files (HTTP), the app://renderer protocol, the photo-folder scan and the watched
// folder's app-folder refusal. Each tries encoded `..`, a sibling folder whose name starts with the
// folder's name, symlinks out, NUL bytes, backslashes and odd spellings of the folder itself.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { listImagesInFolder } from '../../src/core/images';
import { appFolders, folderProblem } from '../../src/core/watch-folder/files';
import { startBridge, type Bridge } from '../../src/web-bridge/server';

vi.mock('electron', async () => (await import('../main/fake-electron')).electronModule());
const { respondToRendererRequest, RENDERER_ORIGIN } = await import('../../src/main/protocol');

const SECRET = 'SECRET-outside-the-folder';
let base: string;
let served: string; // <base>/site: the folder that may be served
const links = process.platform !== 'win32'; // symlinks need no privilege here

beforeAll(() => {
  base = mkdtempSync(join(tmpdir(), 'i2m-contain-'));
  served = join(base, 'site');
  mkdirSync(join(served, 'assets'), { recursive: true });
  writeFileSync(join(served, 'index.html'), '<p>page</p>');
  writeFileSync(join(served, 'assets', 'app.js'), 'ok()');
  writeFileSync(join(base, 'secret.js'), SECRET);
  // A sibling whose name starts with the folder's name: the classic startsWith hole.
  mkdirSync(join(base, 'site-evil'));
  writeFileSync(join(base, 'site-evil', 'secret.js'), SECRET);
  writeFileSync(join(base, 'site-evil', 'index.html'), SECRET);
  if (links) {
    symlinkSync(join(base, 'secret.js'), join(served, 'assets', 'link-out.js'));
    symlinkSync(join(base, 'site-evil'), join(served, 'linked-dir'));
    symlinkSync(join(served, 'assets', 'app.js'), join(served, 'assets', 'link-in.js')); // inside: fine
    symlinkSync(served, join(base, 'site-link')); // the folder itself reached through a link
  }
});
afterAll(() => rmSync(base, { recursive: true, force: true }));

/** Request paths that try to leave the served folder; none may answer with the secret. */
const escapes = () => [
  '/../secret.js',
  '/%2e%2e/secret.js',
  '/..%2fsecret.js',
  '/%2e%2e%2fsecret.js',
  '/assets/..%2f..%2fsecret.js',
  '/%2E%2E%2Fsite-evil%2Fsecret.js',
  '/..%2fsite-evil/secret.js',
  '/..%2fsite-evil/',
  '/%252e%252e%252fsecret.js',
  '/..%5csecret.js',
  '/assets%5c..%5c..%5csecret.js',
  '/secret.js%00.html',
  '/assets/app.js%00/../../secret.js',
  `/${encodeURIComponent(join(base, 'secret.js'))}`,
  ...(links ? ['/assets/link-out.js', '/linked-dir/secret.js', '/linked-dir/index.html'] : []),
];

describe('browser bridge static files (HTTP)', () => {
  let bridge: Bridge | null = null;
  afterAll(async () => bridge?.close());

  const get = (b: Bridge, path: string) =>
    new Promise<{ status: number; body: string }>((resolve, reject) => {
      const { port } = new URL(b.url);
      // Raw request line: fetch would clean `..` out of the path before sending it.
      const req = request({ host: '127.0.0.1', port, path, method: 'GET' }, (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on('error', reject);
      req.end();
    });
  const start = (staticDir: string) => startBridge({ dispatch: async () => ({ ok: true, data: null }), resolveFile: () => null, staticDir });

  it('serves what is inside, and nothing outside, whatever the request path', async () => {
    bridge = await start(served);
    expect((await get(bridge, '/')).body).toContain('page');
    expect((await get(bridge, '/assets/app.js')).body).toBe('ok()');
    if (links) expect((await get(bridge, '/assets/link-in.js')).body).toBe('ok()');
    for (const path of escapes()) {
      const answer = await get(bridge, path);
      expect(answer.body, path).not.toContain(SECRET);
      expect(answer.status, path).toBeGreaterThanOrEqual(400);
    }
    await bridge.close();
    bridge = null;
  });

  it('serves the same folder given with a trailing slash, a `..` step or through a link', async () => {
    const spellings = [`${served}/`, join(served, 'assets', '..') + '/..//site', ...(links ? [join(base, 'site-link')] : [])];
    for (const dir of spellings) {
      bridge = await start(dir);
      expect((await get(bridge, '/assets/app.js')).body, dir).toBe('ok()');
      for (const path of escapes()) expect((await get(bridge, path)).body, `${dir} ${path}`).not.toContain(SECRET);
      await bridge.close();
      bridge = null;
    }
  });
});

describe('app://renderer protocol', () => {
  const page = async (root: string, path: string) => {
    const response = await respondToRendererRequest({ url: `${RENDERER_ORIGIN}${path}`, method: 'GET' }, root);
    return { status: response.status, body: await response.text() };
  };

  it('serves what is inside, and nothing outside, whatever the URL path and however the folder is spelled', async () => {
    const spellings = [served, `${served}/`, join(served, 'assets', '..'), ...(links ? [join(base, 'site-link')] : [])];
    for (const root of spellings) {
      expect((await page(root, '/assets/app.js')).body, root).toBe('ok()');
      if (links) expect((await page(root, '/assets/link-in.js')).body, root).toBe('ok()');
      for (const path of escapes()) {
        const answer = await page(root, path);
        expect(answer.body, `${root} ${path}`).not.toContain(SECRET);
        expect(answer.status, `${root} ${path}`).toBe(404);
      }
    }
  });
});

describe('photo folder scan (listImagesInFolder)', () => {
  it.skipIf(!links)('follows links only while they stay inside the chosen folder, not into a sibling sharing its name', async () => {
    const photos = join(base, 'photos');
    mkdirSync(join(photos, 'sub'), { recursive: true });
    mkdirSync(join(base, 'photos-evil'));
    writeFileSync(join(photos, 'a.png'), 'x');
    writeFileSync(join(photos, 'sub', 'b.png'), 'x');
    writeFileSync(join(base, 'photos-evil', 'evil.png'), 'x');
    symlinkSync(join(base, 'photos-evil'), join(photos, 'to-sibling'));
    symlinkSync(join(base, 'photos-evil', 'evil.png'), join(photos, 'evil-link.png'));
    symlinkSync(join(photos, 'sub'), join(photos, 'sub-link'));
    for (const dir of [photos, `${photos}/`, join(photos, 'sub', '..')]) {
      const names = (await listImagesInFolder(dir)).map((path) => path.slice(path.indexOf('photos')));
      expect(names, dir).toEqual(['photos/a.png', 'photos/sub/b.png']);
    }
  });
});

describe('watched folder: the app folders stay out', () => {
  it('refuses a folder inside the data folder however it is spelled, and allows a sibling sharing its name', async () => {
    const data = join(base, 'data');
    mkdirSync(join(data, 'library'), { recursive: true });
    mkdirSync(join(base, 'data-photos'));
    for (const [i, root] of [data, `${data}/`, join(data, 'library', '..')].entries()) {
      const app = await appFolders([root]);
      for (const folder of [data, join(data, 'library'), `${join(data, 'library')}/`, join(base, 'data-photos', '..', 'data', 'library')]) {
        await expect(folderProblem(folder, app), `${root} ${folder}`).resolves.toHaveProperty('problem');
      }
      await expect(folderProblem(join(base, 'data-photos'), app), root).resolves.toHaveProperty('real');
      if (links) {
        symlinkSync(join(data, 'library'), join(base, `lib-link-${i}`));
        await expect(folderProblem(join(base, `lib-link-${i}`), app), root).resolves.toHaveProperty('problem');
      }
    }
  });
});
