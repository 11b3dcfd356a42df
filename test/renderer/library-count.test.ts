// The library's count line names the search; a long one is cut short (it ran on, and one without
// spaces ran past the window's edge), with the whole line as its tooltip.
import { describe, expect, it } from 'vitest';
import { libraryCountText, libraryCountTitle } from '../../src/renderer/src/features/library/count-text';

describe('library count line', () => {
  it('counts the models, or the matches of a short search, with no tooltip', () => {
    expect(libraryCountText(null, '')).toBe('Loading…');
    expect(libraryCountText(50, '')).toBe('50 models');
    expect(libraryCountText(11, 'Figurine 4')).toBe('11 matches for “Figurine 4”');
    expect(libraryCountText(1, 'gnome')).toBe('1 match for “gnome”');
    expect(libraryCountTitle(11, 'Figurine 4')).toBeUndefined();
    expect(libraryCountTitle(50, '')).toBeUndefined();
  });

  it('a long search is cut short with "…", the whole line in the tooltip', () => {
    const query = `scan_${'0123456789abcdef'.repeat(9)}`;
    expect(libraryCountText(1, query)).toBe(`1 match for “${query.slice(0, 39)}…”`);
    expect(libraryCountTitle(1, query)).toBe(`1 match for “${query}”`);
  });
});
