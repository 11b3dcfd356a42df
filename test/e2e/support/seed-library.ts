// Puts small offline models straight into a web app's data folder (library rows and GLB files), for
// e2e tests that need a library with given names but not the jobs that made it.
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openDatabase } from '../../../src/core/db/open';
import { LibraryStore } from '../../../src/core/library/store';
import { makeTestGlb } from '../../fixtures/make-glb';

/** One 500-triangle model per name, ids `model-<i>`, each a minute older than the one before. */
export async function seedLibrary(dataDir: string, names: readonly string[]): Promise<void> {
  const db = openDatabase(dataDir);
  const store = new LibraryStore(db, dataDir);
  mkdirSync(join(dataDir, 'library'), { recursive: true });
  for (const [i, name] of names.entries()) {
    const bytes = await makeTestGlb({ triangles: 500, textureSize: 64, seed: i + 1 });
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const filePath = join(dataDir, 'library', `${sha256}.glb`);
    writeFileSync(filePath, bytes);
    store.insert({
      id: `model-${i}`,
      name,
      createdAt: Date.now() - i * 60_000,
      endpoint: 'offline/relief',
      preset: 'standard',
      jobId: null,
      sha256,
      filePath,
      stats: { triangles: 500, vertices: 0, materials: 1, textures: [], fileSize: bytes.byteLength },
      previewPath: null,
      costUsd: null,
      sourceName: null,
      paramsKey: null,
    });
  }
  db.close();
}
