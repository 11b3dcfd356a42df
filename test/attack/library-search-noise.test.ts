// Attack (library at scale): the search box says "Search by name, source or tag", but the query was
// also matched inside the raw endpoint id and the tags' JSON text. So "to" (for "tomato") found every
// Tripo model ("tripo3d/tripo/v2.5/image-to-3d"), "ai" every TRELLIS, Hunyuan and Rodin model
// ("fal-ai/..."), "3d" nearly all of them - and "[", "]" or '"' matched every model in the library
// (tags are stored as '[]' or '["kitchen"]'). With thousands of models the search found nothing useful.
// Now: the name, the source photos, each tag on its own, and the generator by its name ("trellis").
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { openDatabase } from '../../src/core/db/open';
import { LibraryStore, type NewModel } from '../../src/core/library/store';

const dataDir = mkdtempSync(join(tmpdir(), 'i2m-library-search-'));
const db = openDatabase(dataDir);
afterAll(() => {
  db.close();
  rmSync(dataDir, { recursive: true, force: true });
});
const store = new LibraryStore(db, dataDir);

const model = (id: string, name: string, endpoint: string, tags: string[] = [], sourceName: string | null = `${name}.jpg`): NewModel => ({
  id,
  name,
  createdAt: Number(id.slice(1)),
  endpoint,
  preset: 'standard',
  jobId: null,
  sha256: id,
  filePath: join(dataDir, 'library', `${id}.glb`),
  stats: { triangles: 1, vertices: 3, materials: 0, textures: [], fileSize: 1 },
  tags,
  previewPath: null,
  costUsd: null,
  sourceName,
  paramsKey: null,
});

db.transaction(() => {
  store.insert(model('m1', 'tomato', 'offline/relief'));
  store.insert(model('m2', 'Bench', 'tripo3d/tripo/v2.5/image-to-3d', ['kitchen', 'wood']));
  store.insert(model('m3', 'Lamp', 'fal-ai/trellis'));
  store.insert(model('m4', 'Vase', 'fal-ai/hunyuan3d-v21', [], 'vase_front.jpg, vase_back.jpg'));
  store.insert(model('m5', 'Robot', 'fal-ai/hyper3d/rodin', ['robots']));
})();

const found = (query: string) => store.list({ query, offset: 0, limit: 100, sort: 'oldest' }).items.map((m) => m.name);

it.each([
  ['to', ['tomato']],
  ['ai', []],
  ['3d', ['Vase', 'Robot']], // Hunyuan3D and Hyper3D by their names; not Tripo for its id "tripo3d/..."
  ['image', []],
  ['fal', []],
  ['[', []],
  [']', []],
  ['"', []],
  [',', ['Vase']], // its source names two photos, "vase_front.jpg, vase_back.jpg"; the tags' JSON does not count
  ['kitchen', ['Bench']],
  ['robots', ['Robot']],
  ['vase_back', ['Vase']],
  ['trellis', ['Lamp']],
  ['Rodin', ['Robot']],
  ['tripo', ['Bench']],
])('searching %j finds %j', (query, names) => {
  expect(found(query)).toEqual(names);
  expect(store.list({ query, offset: 0, limit: 1, sort: 'oldest' }).total).toBe(names.length);
});
