// Saved export presets are capped in number (the studio lists every one) and their names in length:
// each refusal says what the limit is and what to do, and nothing the user saved is lost by it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { createPresetStore } from '../../../src/core/export/preset-store';
import { MAX_SAVED_PRESETS, PRESET_LABEL_MAX } from '../../../src/shared/export-recipe';
import { channels } from '../../../src/shared/contract';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));
const freshStore = () => {
  const dir = mkdtempSync(join(tmpdir(), 'i2m-preset-limits-'));
  dirs.push(dir);
  return createPresetStore(dir);
};

it(`keeps at most ${MAX_SAVED_PRESETS} saved presets, saying so; updating one or saving after a delete still works`, async () => {
  const store = freshStore();
  for (let i = 1; i <= MAX_SAVED_PRESETS; i++) await store.save({ label: `Preset ${i}`, recipe: { formats: ['glb'] } });
  const saved = store.list().filter((p) => !p.builtIn);
  expect(saved).toHaveLength(MAX_SAVED_PRESETS);

  await expect(store.save({ label: 'One too many', recipe: { formats: ['stl'] } })).rejects.toMatchObject({
    code: 'conflict',
    message: `You have ${MAX_SAVED_PRESETS} saved export presets, the most the app keeps. Delete one you no longer use (pick it in the export studio, then Delete this preset; or, in the CLI, image2model export --delete-preset NAME) and save again.`,
  });
  expect(store.list().filter((p) => !p.builtIn)).toHaveLength(MAX_SAVED_PRESETS);

  // Saving over one of them (its id) is no new preset.
  const updated = await store.save({ id: saved[0]!.id, label: 'Preset 1, in STL', recipe: { formats: ['stl'] } });
  expect(updated.recipe.formats).toEqual(['stl']);
  expect(await store.remove(saved[1]!.id)).toBe(true);
  await store.save({ label: 'One too many', recipe: { formats: ['stl'] } });
  expect(store.list().filter((p) => !p.builtIn)).toHaveLength(MAX_SAVED_PRESETS);
});

it(`refuses a preset name longer than ${PRESET_LABEL_MAX} characters with a message that says the limit`, async () => {
  const store = freshStore();
  const message = `A preset name can be at most ${PRESET_LABEL_MAX} characters.`;
  await expect(store.save({ label: 'x'.repeat(PRESET_LABEL_MAX + 1), recipe: { formats: ['glb'] } })).rejects.toMatchObject({ code: 'invalid_input', message });
  await expect(store.save({ label: '   ', recipe: { formats: ['glb'] } })).rejects.toMatchObject({ code: 'invalid_input', message: 'Give the preset a name.' });
  expect((await store.save({ label: 'y'.repeat(PRESET_LABEL_MAX), recipe: { formats: ['glb'] } })).label).toHaveLength(PRESET_LABEL_MAX);
  // The window's channel says the same before anything reaches the store.
  const parsed = channels['export:savePreset'].input.safeParse({ label: 'x'.repeat(PRESET_LABEL_MAX + 1), recipe: { formats: ['glb'] } });
  expect(parsed.success).toBe(false);
  expect(parsed.error!.issues[0]!.message).toBe(message);
});

it('saving by the id of a preset deleted meanwhile (by the CLI) is a new save, not the old preset back', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'i2m-preset-gone-'));
  try {
    const studio = createPresetStore(dir);
    const cli = createPresetStore(dir); // another process on the same presets file
    const shop = await studio.save({ label: 'Shop AR', recipe: { formats: ['glb'] } });
    await studio.save({ label: 'Kept', recipe: { formats: ['obj'] } });
    expect(await cli.remove(shop.id)).toBe(true);

    const again = await studio.save({ id: shop.id, label: 'Shop AR, in STL', recipe: { formats: ['stl'] } });
    expect(again.id).toBe('shop-ar-in-stl');
    expect(cli.get(shop.id)).toBeNull();
    expect(cli.list().filter((p) => !p.builtIn).map((p) => p.id)).toEqual(['kept', 'shop-ar-in-stl']);
    // An id that is there still updates it in place.
    expect((await studio.save({ id: 'kept', label: 'Kept, in STL', recipe: { formats: ['stl'] } })).id).toBe('kept');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
