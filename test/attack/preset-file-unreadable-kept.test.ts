// Attack: the presets file (shared with the CLI, and documented, so people edit it) with one mistake
// - a trailing comma, a format the app does not know. It is reported and not used, rightly; but the
// next "Save as preset..." (or `export --save-preset`) wrote a new file over it, and every
// other preset the user had saved was gone. Now the unreadable file is kept beside the new one, and the
// reported problem says so before anything is saved.
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { createPresetStore, PRESETS_FILE } from '../../src/core/export/preset-store';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

const EDITED = `{ "version": 1, "presets": [
  { "id": "shop-ar", "label": "Shop AR", "recipe": { "formats": ["glb", "usdz"] } },
  { "id": "unity-hero", "label": "Unity hero", "recipe": { "formats": ["glb", "fbx"] } }
] }`;

it('saving a preset next to an unreadable presets file keeps that file', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'i2m-presets-kept-'));
  dirs.push(dir);
  writeFileSync(join(dir, PRESETS_FILE), EDITED);
  const store = createPresetStore(dir);
  // The preset the app can use (shop-ar) is listed; the one with a format it does not know (fbx) is left out.
  expect(store.list().map((p) => p.id)).toContain('shop-ar');
  expect(store.list().map((p) => p.id)).not.toContain('unity-hero');
  expect(store.problem()).toMatch(/could not be read.*keeps this file as export-presets\.unreadable-/);
  await store.save({ label: 'New one', recipe: { formats: ['stl'] } });
  expect(store.list().map((p) => p.id)).toContain('new-one');
  const kept = readdirSync(dir).filter((name) => name.startsWith('export-presets.unreadable-'));
  expect(kept).toHaveLength(1);
  expect(readFileSync(join(dir, kept[0]!), 'utf8')).toBe(EDITED);
});

it('a readable file is not copied when a preset is saved', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'i2m-presets-kept-'));
  dirs.push(dir);
  const store = createPresetStore(dir);
  await store.save({ label: 'One', recipe: { formats: ['glb'] } });
  await store.save({ label: 'Two', recipe: { formats: ['glb'] } });
  expect(readdirSync(dir)).toEqual([PRESETS_FILE]);
  expect(store.problem()).toBeNull();
});
