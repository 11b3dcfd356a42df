// Sets made before today's naming rule (2b222a9) kept "kettle and 2 more" in their job and model rows:
// the library (card, title, export name) and the queue show them by today's rule ("kettle"), as a set
// made now is named. Only that exact old name for the row's own photos is replaced; a name the user
// gave, or a one-photo model's name, is shown as stored, and the stored rows are not rewritten.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../src/core/db/open';
import { LibraryStore, type NewModel } from '../../../src/core/library/store';
import { jobInputsJson } from '../../../src/core/queue/job-inputs-json';
import { toJob, toRow } from '../../../src/core/queue/rows';
import { currentSetName } from '../../../src/shared/input-roles';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

const KETTLE = ['kettle.png', 'handle.png', 'spout.png'];
const setJson = (names: readonly string[]) => jobInputsJson(names.map((name, position) => ({ position, role: null, name })));

describe('currentSetName', () => {
  it('gives an old "first and N more" set name by today’s rule', () => {
    expect(currentSetName('kettle and 2 more', KETTLE)).toBe('kettle');
    expect(currentSetName('front and 1 more', ['front.jpg', 'left.jpg'])).toBe('front');
  });

  it('keeps any other name: the user’s own, a different count or first photo, a single photo', () => {
    expect(currentSetName('My kettle', KETTLE)).toBe('My kettle');
    expect(currentSetName('kettle and 3 more', KETTLE)).toBe('kettle and 3 more');
    expect(currentSetName('teapot and 2 more', KETTLE)).toBe('teapot and 2 more');
    expect(currentSetName('kettle and 0 more', ['kettle.png'])).toBe('kettle and 0 more');
    expect(currentSetName('mug', ['mug_front.jpg', 'mug_left.jpg'])).toBe('mug');
  });
});

describe('old set names in the library and the queue', () => {
  it('a library row of an old set reads by today’s rule; renamed and one-photo models as stored', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'i2m-old-set-names-'));
    dirs.push(dataDir);
    const db = openDatabase(dataDir);
    try {
      const store = new LibraryStore(db, dataDir);
      const model = (id: string, name: string, sourcesJson: string | null): NewModel => ({
        id,
        name,
        createdAt: 1,
        endpoint: 'fal-ai/trellis/multi',
        preset: 'standard',
        jobId: null,
        sha256: id,
        filePath: join(dataDir, 'library', `${id}.glb`),
        stats: { triangles: 1, vertices: 3, materials: 0, textures: [], fileSize: 1 },
        previewPath: null,
        costUsd: null,
        sourceName: null,
        paramsKey: null,
        sourcesJson,
      });
      store.insert(model('old-set', 'kettle and 2 more', setJson(KETTLE)));
      store.insert(model('renamed-set', 'Grandma’s kettle', setJson(KETTLE)));
      store.insert(model('one-photo', 'kettle and 2 more', null));

      expect(store.get('old-set')?.name).toBe('kettle');
      expect(store.get('renamed-set')?.name).toBe('Grandma’s kettle');
      expect(store.get('one-photo')?.name).toBe('kettle and 2 more');
      const listed = store.list({ query: 'kettle', sort: 'name', offset: 0, limit: 10 }).items.map((m) => [m.id, m.name]);
      expect(listed).toContainEqual(['old-set', 'kettle']);
      // Shown, not rewritten: the row keeps what it was stored with.
      expect(db.prepare('SELECT name FROM models WHERE id = ?').get('old-set')).toEqual({ name: 'kettle and 2 more' });
    } finally {
      db.close();
    }
  });

  it('a queued job of an old set reads by today’s rule', () => {
    const row = (inputName: string, inputsJson: string | null) =>
      toRow({ id: 'j', state: 'succeeded', endpoint: 'fal-ai/trellis/multi', provider: 'fal', preset: 'standard', options_json: '{}', input_name: inputName, inputs_json: inputsJson });
    expect(toJob(row('kettle and 2 more', setJson(KETTLE))).inputName).toBe('kettle');
    expect(toJob(row('kettle and 2 more', setJson(KETTLE))).inputs?.map((input) => input.name)).toEqual(KETTLE);
    expect(toJob(row('kettle and 2 more.jpg', null)).inputName).toBe('kettle and 2 more.jpg');
  });
});
