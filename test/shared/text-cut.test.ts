// Names are counted and cut by the characters people see: an emoji (a surrogate pair, or several code
// points joined) is never cut in half, and counts as one.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/core/db/open';
import { createPresetStore, PRESETS_FILE } from '../../src/core/export/preset-store';
import { LibraryStore } from '../../src/core/library/store';
import { channels } from '../../src/shared/contract';
import { PRESET_LABEL_MAX, PRESET_LABEL_MAX_UNITS } from '../../src/shared/export-recipe';
import { setDisplayName } from '../../src/shared/input-roles';
import { cutText, graphemeCount, graphemes } from '../../src/shared/text-cut';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'i2m-text-cut-'));
  dirs.push(dir);
  return dir;
};

/** A lone UTF-16 surrogate: half an emoji. */
const halfPair = (text: string) => /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(text);

const FOX = '🦊';
const FAMILY = '👩‍👩‍👧'; // three people joined: one character on screen, 8 UTF-16 units

describe('cutText', () => {
  it('counts and cuts by characters as people see them', () => {
    expect(graphemeCount(`${FOX}${FAMILY}é`)).toBe(3);
    expect(cutText(`a${FOX}${FOX}`, 2)).toBe(`a${FOX}`);
    expect(cutText(`${FAMILY}${FAMILY}`, 1)).toBe(FAMILY);
    // A cap in UTF-16 units is kept too, cut between characters: a whole fox does not fit in 2 units after 'a'.
    expect(cutText(`a${FOX}`, 10, 2)).toBe('a');
    expect(cutText('plain', 10)).toBe('plain');
  });

  it('with a unit cap cuts as if the whole text were read, at every cap (flags, joined emoji, accents)', () => {
    const FLAGS = '🇫🇷🇩🇪🇯🇵'; // regional indicator pairs: which two belong together depends on everything before
    const texts = [`a${FLAGS}${FLAGS}b`, `${FAMILY}e\u0301\u0302${FOX}${FAMILY}`, `x${'\u0301'.repeat(5)}y${FOX}`];
    for (const text of texts) {
      const whole = graphemes(text);
      for (let units = 0; units <= text.length + 2; units++) {
        let expected = '';
        for (const g of whole) {
          if (expected.length + g.length > units) break;
          expected += g;
        }
        expect(cutText(text, 1000, units)).toBe(expected);
      }
    }
  });
});

describe('set names', () => {
  it('the part set names share never ends in half an emoji', () => {
    // 🐱 and 🐶 share their first UTF-16 unit (U+D83D).
    const name = setDisplayName(['🐱🐱.jpg', '🐱🐶.jpg']);
    expect(halfPair(name)).toBe(false);
    expect(name).toBe('🐱🐱');
    expect(setDisplayName(['🐱🐱 front.jpg', '🐱🐱 left.jpg'])).toBe('🐱🐱');
  });
});

describe('preset names', () => {
  it(`take ${PRESET_LABEL_MAX} emoji (the limit counts characters, not UTF-16 units) and refuse one more`, async () => {
    const store = createPresetStore(tempDir());
    const saved = await store.save({ label: FOX.repeat(PRESET_LABEL_MAX), recipe: { formats: ['glb'] } });
    expect(saved.label).toBe(FOX.repeat(PRESET_LABEL_MAX));
    await expect(store.save({ label: FOX.repeat(PRESET_LABEL_MAX + 1), recipe: { formats: ['glb'] } })).rejects.toMatchObject({ code: 'invalid_input' });
    expect(channels['export:savePreset'].input.safeParse({ label: FAMILY.repeat(PRESET_LABEL_MAX), recipe: { formats: ['glb'] } }).success).toBe(true);
  });

  it('refuse a name of one character holding thousands of combining marks, and a huge name at once', () => {
    const input = (label: string) => channels['export:savePreset'].input.safeParse({ label, recipe: { formats: ['glb'] } });
    // One grapheme on screen, but ten thousand code points in the presets file and in every list.
    const stacked = `a${'\u0301'.repeat(10_000)}`;
    expect(graphemeCount(stacked)).toBe(1);
    expect(input(stacked).success).toBe(false);
    expect(input(`${'x'.repeat(PRESET_LABEL_MAX - 1)}${'\u0301'.repeat(PRESET_LABEL_MAX_UNITS)}`).success).toBe(false);
    // Counting graphemes grows faster than the text: 300k units took seconds (a megabyte, minutes) before the check.
    const started = performance.now();
    expect(input('x'.repeat(300_000)).success).toBe(false);
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('an unusable saved preset is named without half an emoji', () => {
    const dir = tempDir();
    // An odd start puts a fox across the old cut at 80 UTF-16 units.
    writeFileSync(join(dir, PRESETS_FILE), JSON.stringify({ version: 1, presets: [{ id: 'x', label: `a${FOX.repeat(100)}`, recipe: { formats: [] } }] }));
    const store = createPresetStore(dir);
    store.list();
    const problem = store.problem()!;
    expect(problem).toContain(`"a${FOX.repeat(PRESET_LABEL_MAX - 1)}"`);
    expect(halfPair(problem)).toBe(false);
  });
});

function withLibrary(run: (store: LibraryStore) => void): void {
  const dataDir = tempDir();
  const db = openDatabase(dataDir);
  try {
    const store = new LibraryStore(db, dataDir);
    mkdirSync(join(dataDir, 'library'), { recursive: true });
    const filePath = join(dataDir, 'library', 'm.glb');
    writeFileSync(filePath, 'glb');
    store.insert({
      id: 'm1', name: 'model', createdAt: 1, endpoint: 'offline/relief', preset: 'standard', jobId: null, sha256: 'm1', filePath,
      stats: { triangles: 1, vertices: 3, materials: 0, textures: [], fileSize: 3 }, previewPath: null, costUsd: null, sourceName: null, paramsKey: null,
    });
    run(store);
  } finally {
    db.close();
  }
}

describe('a library rename cut to its 200-unit limit', () => {
  it('does not end in the space the cut stopped after', () => {
    withLibrary((store) => {
      expect(store.rename('m1', `${'a'.repeat(199)} b`)!.name).toBe('a'.repeat(199));
    });
  });

  it('with nothing left is refused with a reason, not dropped in silence', () => {
    withLibrary((store) => {
      // One character on screen, 301 UTF-16 units: no whole character fits in 200.
      expect(() => store.rename('m1', `a${'\u0301'.repeat(300)}`)).toThrow(/first character alone is longer/);
      expect(() => store.rename('m1', '   ')).toThrow(/Give the model a name/);
      expect(store.get('m1')!.name).toBe('model');
    });
  });
});

it('an unusable preset whose label cuts to nothing is named by its id', () => {
  const dir = tempDir();
  writeFileSync(join(dir, PRESETS_FILE), JSON.stringify({ version: 1, presets: [{ id: 'my-id', label: `a${'\u0301'.repeat(PRESET_LABEL_MAX_UNITS)}`, recipe: { formats: [] } }] }));
  const store = createPresetStore(dir);
  store.list();
  expect(store.problem()!).toContain('"my-id"');
});

it('a library name cut to its 200-unit limit keeps whole emoji', () => {
  withLibrary((store) => {
    const renamed = store.rename('m1', `a${FOX.repeat(150)}`)!;
    expect(halfPair(renamed.name)).toBe(false);
    expect(renamed.name).toBe(`a${FOX.repeat(99)}`);
  });
});
