// Models named by an older rule are shown by today's (04c0756: a set's "kettle and 2 more" is "kettle")
// and must be found - and sorted - by what is shown: the search still matched the stored text, so
// "and 2 more" found a model that reads "kettle" and "kettle…" sorted by what nobody sees. Old samples
// ("sample-duck", source "sample-duck.jpg", before 3a9d754) are shown, found and sorted as the sample
// made today ("Toy duck (sample)", source "Toy duck (sample).jpg") by the same rule (shared/current-names).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../src/core/db/open';
import { LibraryStore, type LibrarySort, type NewModel } from '../../../src/core/library/store';
import { jobInputsJson } from '../../../src/core/queue/job-inputs-json';
import { toJob, toRow } from '../../../src/core/queue/rows';
import { sampleJobName } from '../../../src/shared/samples';

const dataDir = mkdtempSync(join(tmpdir(), 'i2m-old-names-search-'));
const db = openDatabase(dataDir);
afterAll(() => {
  db.close();
  rmSync(dataDir, { recursive: true, force: true });
});
const store = new LibraryStore(db, dataDir);

const KETTLE = ['kettle.png', 'handle.png', 'spout.png'];
const setJson = (names: readonly string[]) => jobInputsJson(names.map((name, position) => ({ position, role: null, name })));
const DUCK = sampleJobName('duck').slice(0, -'.jpg'.length);

let created = 0;
const model = (id: string, name: string, sourceName: string | null, sourcesJson: string | null = null): NewModel => ({
  id,
  name,
  createdAt: ++created,
  endpoint: 'offline/relief',
  preset: 'standard',
  jobId: null,
  sha256: id,
  filePath: join(dataDir, 'library', `${id}.glb`),
  stats: { triangles: 1, vertices: 3, materials: 0, textures: [], fileSize: 1 },
  previewPath: null,
  costUsd: null,
  sourceName,
  paramsKey: null,
  sourcesJson,
});

db.transaction(() => {
  store.insert(model('old-set', 'kettle and 2 more', KETTLE.join(', '), setJson(KETTLE)));
  store.insert(model('old-sample', 'sample-duck', 'sample-duck.jpg'));
  store.insert(model('new-sample', DUCK, sampleJobName('duck')));
  store.insert(model('renamed-sample', 'Bath time', 'sample-duck.jpg'));
  store.insert(model('own-photo', 'sample-duck', 'my duck.jpg'));
  store.insert(model('one-photo', 'teapot and 2 more', 'teapot and 2 more.jpg'));
  store.insert(model('mug', 'mug', 'mug.jpg'));
})();

const found = (query: string, sort: LibrarySort = 'newest') => store.list({ query, sort, offset: 0, limit: 50 }).items.map((m) => m.id);

describe('library search by the names shown', () => {
  it('an old set is found by the name it shows, not by its stored "and 2 more"', () => {
    expect(store.get('old-set')?.name).toBe('kettle');
    expect(found('and 2 more')).toEqual(['one-photo']);
    expect(found('kettle')).toEqual(['old-set']);
    expect(found('spout')).toEqual(['old-set']);
  });

  it('an old sample reads, and is found, as today’s sample; a renamed one and the user’s own photo keep their names', () => {
    expect(store.get('old-sample')).toMatchObject({ name: DUCK, sourceName: sampleJobName('duck') });
    expect(store.get('renamed-sample')).toMatchObject({ name: 'Bath time', sourceName: sampleJobName('duck') });
    expect(store.get('own-photo')).toMatchObject({ name: 'sample-duck', sourceName: 'my duck.jpg' });
    expect(found('Toy duck')).toEqual(['renamed-sample', 'new-sample', 'old-sample']);
    expect(found('sample-duck')).toEqual(['own-photo']);
  });

  it('sorts by the names shown', () => {
    expect(found('', 'name')).toEqual(['renamed-sample', 'old-set', 'mug', 'own-photo', 'one-photo', 'new-sample', 'old-sample']);
  });

  it('nothing stored is rewritten', () => {
    expect(db.prepare("SELECT name, source_name FROM models WHERE id = 'old-sample'").get()).toEqual({ name: 'sample-duck', source_name: 'sample-duck.jpg' });
  });

  it('an old sample’s job reads as today’s in the queue', () => {
    const row = (inputName: string) =>
      toRow({ id: 'j', state: 'succeeded', endpoint: 'offline/relief', provider: 'offline', preset: 'standard', options_json: '{}', input_name: inputName, inputs_json: null });
    expect(toJob(row('sample-duck.jpg')).inputName).toBe(sampleJobName('duck'));
    expect(toJob(row('sample-teapot.jpg')).inputName).toBe('sample-teapot.jpg');
  });
});
