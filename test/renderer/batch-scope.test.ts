// The export studio's line for a batch names what it covers: with no search, the whole library (it said
// 'Every model matching “”'); with a search, that search; picked by hand, how many were picked.
import { describe, expect, it } from 'vitest';
import { batchScopeText } from '../../src/renderer/src/features/export/batch-scope';

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
});
