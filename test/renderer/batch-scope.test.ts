// The export studio's line for a batch names what it covers: with no search, the whole library (it said
// 'Every model matching “”'); with a search, that search; picked by hand, how many were picked.
import { describe, expect, it } from 'vitest';
import { batchScopeText, batchScopeTitle } from '../../src/renderer/src/features/export/batch-scope';
import { SHOWN_SEARCH_CHARS } from '../../src/renderer/src/lib/shown-search';

describe('batch scope text', () => {
  it('with no search names the whole library, never an empty search', () => {
    const text = batchScopeText({ ids: null, query: '', count: 50 });
    expect(text).toBe('Every model in the library (50)');
    expect(text).not.toContain('“”');
  });

  it('with a search names the search', () => {
    expect(batchScopeText({ ids: null, query: 'Figurine 4', count: 11 })).toBe('Every model matching “Figurine 4” (11)');
  });

  it('picked by hand counts the picked models (a search beside them does not matter)', () => {
    expect(batchScopeText({ ids: ['a', 'b'], query: 'gnome', count: 2 })).toBe('2 selected models');
    expect(batchScopeText({ ids: ['a'], query: '', count: 1 })).toBe('1 selected model');
  });

  it('a large library is counted with separators, like the rest of the app', () => {
    expect(batchScopeText({ ids: null, query: '', count: 12_345 })).toBe(`Every model in the library (${(12_345).toLocaleString()})`);
  });

  it('a long search is cut short with "…" in the line, and the whole line is its tooltip', () => {
    const query = 'a very long search for the figurines of the garden made last summer in the blue glaze';
    const scope = { ids: null, query, count: 3 };
    const shown = batchScopeText(scope);
    expect(shown).toBe('Every model matching “a very long search for the figurines of…” (3)');
    expect(Array.from(shown.slice('Every model matching “'.length, shown.indexOf('”')))).toHaveLength(SHOWN_SEARCH_CHARS);
    expect(batchScopeTitle(scope)).toBe(`Every model matching “${query}” (3)`);
  });

  it('a search without spaces is cut too; a short one, the whole library and picked models need no tooltip', () => {
    const shown = batchScopeText({ ids: null, query: 'x'.repeat(200), count: 1 });
    expect(shown).toBe(`Every model matching “${'x'.repeat(SHOWN_SEARCH_CHARS - 1)}…” (1)`);
    expect(batchScopeText({ ids: null, query: 'y'.repeat(SHOWN_SEARCH_CHARS), count: 1 })).toBe(`Every model matching “${'y'.repeat(SHOWN_SEARCH_CHARS)}” (1)`);
    expect(batchScopeTitle({ ids: null, query: 'y'.repeat(SHOWN_SEARCH_CHARS), count: 1 })).toBeUndefined();
    expect(batchScopeTitle({ ids: null, query: '', count: 50 })).toBeUndefined();
    expect(batchScopeTitle({ ids: ['a'], query: 'x'.repeat(200), count: 1 })).toBeUndefined();
  });

  it('never cuts a character or an emoji in half', () => {
    const family = '👨‍👩‍👧';
    const shown = batchScopeText({ ids: null, query: `${'v'.repeat(SHOWN_SEARCH_CHARS - 2)}${family}${family}${family}`, count: 1 });
    expect(shown).toBe(`Every model matching “${'v'.repeat(SHOWN_SEARCH_CHARS - 2)}${family}…” (1)`);
  });
});
