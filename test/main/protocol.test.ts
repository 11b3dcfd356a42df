// i2m://library/<kind>/<id>: ids in, files out; anything else is a 404 and never reads a file.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { resolveFileRoute } from '../../src/core/file-routes';
import type { EngineApi } from '../../src/core/services-types';

vi.mock('electron', async () => (await import('./fake-electron')).electronModule());

const { respondToLibraryRequest, FILE_BASE_URL } = await import('../../src/main/protocol');

let dir: string;
let resolve: (route: string) => ReturnType<typeof resolveFileRoute>;
const asked: string[] = [];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'i2m-protocol-'));
  writeFileSync(join(dir, 'model-1.glb'), Buffer.from('glTF-bytes'));
  writeFileSync(join(dir, 'secret.txt'), 'do not serve');
  // Only the library knows paths; the engine stub maps one id to one file.
  const engine = {
    library: {
      filePath: (id: string) => (asked.push(id), id === 'model-1' ? join(dir, 'model-1.glb') : id === 'gone' ? join(dir, 'gone.glb') : null),
      previewPath: () => null,
    },
    inputPath: () => null,
  } as unknown as EngineApi;
  resolve = (route) => resolveFileRoute(engine, route);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const get = (url: string, method = 'GET') => respondToLibraryRequest({ url, method }, resolve);

describe('library protocol', () => {
  it('serves a model by id with its type', async () => {
    const response = await get(`${FILE_BASE_URL}model/model-1`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('model/gltf-binary');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(Buffer.from(await response.arrayBuffer()).toString()).toBe('glTF-bytes');
  });

  it('answers 404 for unknown ids, missing files, other hosts, methods and path tricks', async () => {
    const urls = [
      `${FILE_BASE_URL}model/unknown`,
      `${FILE_BASE_URL}model/gone`,
      'i2m://elsewhere/model/model-1',
      `${FILE_BASE_URL}model/model-1?x=1`,
      `${FILE_BASE_URL}model/..%2Fsecret.txt`,
      `${FILE_BASE_URL}model/%2e%2e%2f%2e%2e%2fsecret.txt`,
      `${FILE_BASE_URL}..%2F..%2Fsecret.txt`,
      `${FILE_BASE_URL}model/model-1/extra`,
      `${FILE_BASE_URL}model/%E0%A4%A`,
      `${FILE_BASE_URL}${encodeURIComponent(join(dir, 'secret.txt'))}`,
      'file:///etc/passwd',
      'not a url',
    ];
    for (const url of urls) expect((await get(url)).status, url).toBe(404);
    expect((await get(`${FILE_BASE_URL}model/model-1`, 'POST')).status).toBe(404);
    // Only well-formed ids ever reached the library.
    for (const id of asked) expect(id).toMatch(/^[A-Za-z0-9_-]+$/);
  });
});
