// The stats charts' row labels (model names, error types) cut to fit the label column: cut between
// characters as people see them, and never "word …" (a space left before the mark).
import { describe, expect, it } from 'vitest';
import { chartLabel } from '../../src/renderer/src/features/stats/stats-data';
import { graphemeCount } from '../../src/shared/text-cut';

describe('chart label', () => {
  it('keeps a label that fits as it is', () => {
    expect(chartLabel('Trellis 2', 24)).toBe('Trellis 2');
    expect(chartLabel('x'.repeat(24), 24)).toBe('x'.repeat(24));
  });

  it('a cut that lands just after a space ends in "…" with no space before it', () => {
    // 23 characters kept by a plain cut: "Hunyuan 3D multi views " - the 23rd is the space.
    const label = chartLabel('Hunyuan 3D multi views turbo', 24);
    expect(label).toBe('Hunyuan 3D multi views…');
    expect(label).not.toMatch(/\s…$/);
  });

  it('never more than the room, counted as people count, and no half emoji', () => {
    const family = '👨‍👩‍👧';
    const label = chartLabel(`${'a'.repeat(22)}${family}${family}${family}`, 24);
    expect(graphemeCount(label)).toBeLessThanOrEqual(24);
    expect(label).toBe(`${'a'.repeat(22)}${family}…`);
    expect(chartLabel('🇫🇷'.repeat(30), 24)).toBe(`${'🇫🇷'.repeat(23)}…`);
  });

  it('every cut is a start of the label plus "…", with no space at the cut', () => {
    const name = 'a b c d e f g h i j k l m n o p';
    for (let length = 2; length < 31; length++) {
      const label = chartLabel(name, length);
      expect(label.endsWith('…')).toBe(true);
      expect(name.startsWith(label.slice(0, -1))).toBe(true);
      expect(label).not.toMatch(/\s…$/);
      expect(graphemeCount(label)).toBeLessThanOrEqual(length);
    }
  });
});
