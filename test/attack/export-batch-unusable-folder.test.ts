// "Export all..." into a folder that cannot be used (the drive was unplugged and a file now has its
// name, or it is read-only): every model was simplified, re-textured and encoded in full - seconds each,
// minutes for a library - and only then failed at the write, one by one. Now the folder is checked
// before a model is worked on: the batch ends at once, each model failed with the folder's message.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createExportService } from '../../src/core/export/service';
import type { RecipeRunner } from '../../src/core/export/worker-pool';
import { ExportRecipeSchema } from '../../src/shared/export-recipe';
import { makeTestGlb } from '../fixtures/make-glb';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'i2m-export-unusable-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('export into a folder that cannot be used', () => {
  it('works on no model and fails each with the folder message', async () => {
    const models = new Map<string, { id: string; name: string; path: string }>();
    for (let i = 0; i < 3; i++) {
      const path = join(dir, `model${i}.glb`);
      await writeFile(path, await makeTestGlb({ triangles: 200, textureSize: 16, seed: i + 1 }));
      models.set(`m${i}`, { id: `m${i}`, name: `Chair ${i}`, path });
    }
    const library = { get: (id: string) => models.get(id) ?? null, filePath: (id: string) => models.get(id)?.path ?? null };
    let worked = 0;
    const runner: RecipeRunner = {
      run: async () => {
        worked++;
        throw new Error('the model was worked on');
      },
      warm: () => undefined,
      close: async () => undefined,
    };
    const service = createExportService(library, join(dir, 'data'), runner);
    const out = join(dir, 'usb-stick');
    await writeFile(out, 'a file where the folder was');
    const recipe = ExportRecipeSchema.parse({ formats: ['glb', 'stl'], simplify: { mode: 'ratio', ratio: 0.5 } });

    const summary = await service.batch(['m0', 'm1', 'm2'], recipe, { batchId: 'b1', dir: out });
    expect(worked).toBe(0);
    expect(summary).toMatchObject({ total: 3, succeeded: 0, failed: 3 });
    for (const item of summary.items) expect(item.error).toBe(`The folder ${out} could not be used for the export. Choose a folder you can write to.`);

    await expect(service.run('m0', recipe, { dir: join(out, 'inside') })).rejects.toThrow(/could not be used for the export/);
    expect(worked).toBe(0);
  });
});
