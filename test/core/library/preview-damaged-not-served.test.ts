// A preview is stored without an fsync (932adb5): after a power cut its file may be short, or hold zeros
// where the image was. The file routes served it as it was: a browser draws such an image half (grey
// below) and fires no error, so the library card showed a broken preview instead of falling back to the
// source photo. A preview whose bytes are not the ones it was stored with is now "not found".
import { mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { resolveFileRoute } from '../../../src/core/file-routes';
import { storeByContentHash } from '../../../src/core/library/content-store';
import type { EngineApi } from '../../../src/core/services-types';

let dir: string;
beforeEach(() => void (dir = mkdtempSync(join(tmpdir(), 'i2m-preview-damaged-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const IMAGE = new Uint8Array(4000).map((_, i) => (i * 31 + 7) % 256);

/** An engine whose one model has its preview at `path` (the file routes ask for nothing else). */
const engineWithPreview = (path: string | null) => ({ library: { previewPath: (id: string) => (id === 'm1' ? path : null) } }) as unknown as EngineApi;

it('an intact preview is served', async () => {
  const { path } = await storeByContentHash(dir, IMAGE, 'png');
  expect(resolveFileRoute(engineWithPreview(path), 'preview/m1')).toEqual({ path, mime: 'image/png' });
});

it('a preview cut short is not found (the card falls back to the source photo)', async () => {
  const { path } = await storeByContentHash(dir, IMAGE, 'png');
  truncateSync(path, 1500);
  expect(resolveFileRoute(engineWithPreview(path), 'preview/m1')).toBeNull();
});

it('a preview of the right size with zeros where its end was is not found', async () => {
  const { path } = await storeByContentHash(dir, IMAGE, 'jpg');
  expect(resolveFileRoute(engineWithPreview(path), 'preview/m1')).not.toBeNull(); // checked once, intact
  const bytes = readFileSync(path);
  bytes.fill(0, 2000);
  writeFileSync(path, bytes);
  expect(resolveFileRoute(engineWithPreview(path), 'preview/m1')).toBeNull();
});

it('an empty or missing preview is not found; one stored again whole is served again', async () => {
  const { path } = await storeByContentHash(dir, IMAGE, 'webp');
  truncateSync(path, 0);
  expect(resolveFileRoute(engineWithPreview(path), 'preview/m1')).toBeNull();
  rmSync(path);
  expect(resolveFileRoute(engineWithPreview(path), 'preview/m1')).toBeNull();
  await storeByContentHash(dir, IMAGE, 'webp');
  expect(resolveFileRoute(engineWithPreview(path), 'preview/m1')?.path).toBe(path);
});
