// Attack on the real-size bounds (0.1 mm - 1 km since a0aad32): a presets file saved by the version
// before, when any positive size up to 1,000,000 took, may hold a preset of 2,000 m (a terrain) or
// 0.05 mm. After the update the whole file was "unreadable": every preset the user had saved was gone
// from the studio and the CLI, and auto-export with any of them fell back to plain GLB. Now only the
// preset that cannot be used any more is left out, and the notice names it and says why.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { createPresetStore, PRESETS_FILE } from '../../src/core/export/preset-store';
import { BUILT_IN_IDS } from '../../src/core/export/presets';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

const SAVED_BEFORE = JSON.stringify({
  version: 1,
  presets: [
    { id: 'desk-print', label: 'Desk print', recipe: { formats: ['stl'], realSize: { dimension: 'height', value: 12, unit: 'cm' } } },
    { id: 'terrain', label: 'Terrain', recipe: { formats: ['glb'], realSize: { dimension: 'longest', value: 2000, unit: 'm' } } },
    { id: 'shop-ar', label: 'Shop AR', recipe: { formats: ['glb'] } },
  ],
});

it('a saved preset whose real size is out of the new range hides only itself, and the notice says which and why', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'i2m-presets-size-'));
  dirs.push(dir);
  writeFileSync(join(dir, PRESETS_FILE), SAVED_BEFORE);
  const store = createPresetStore(dir);

  const saved = store.list().filter((p) => !BUILT_IN_IDS.includes(p.id)).map((p) => p.id);
  expect(saved).toEqual(['desk-print', 'shop-ar']);
  expect(store.get('desk-print')?.recipe.realSize).toEqual({ dimension: 'height', value: 12, unit: 'cm' });
  expect(store.problem()).toMatch(/Terrain/);
  expect(store.problem()).toMatch(/Real size must be from 0\.0001 to 1,000 m/);

  // Saving another keeps the file as it was beside the new one: the left-out preset is not lost.
  await store.save({ label: 'New one', recipe: { formats: ['glb'] } });
  expect(store.list().map((p) => p.id)).toEqual(expect.arrayContaining(['desk-print', 'shop-ar', 'new-one']));
  const kept = readdirSync(dir).filter((name) => name.startsWith('export-presets.unreadable-'));
  expect(kept).toHaveLength(1);
  expect(readFileSync(join(dir, kept[0]!), 'utf8')).toBe(SAVED_BEFORE);
});
