// A rejected option value is quoted back shortened to 40 characters as people count them: the cut
// never leaves half an emoji (a lone surrogate, shown as a replacement mark).
import { describe, expect, it } from 'vitest';
import { showValue } from '../../../src/core/models/fields';

describe('showValue', () => {
  it('shortens a long string between characters, never inside an emoji', () => {
    // 39 letters put the old 40-unit cut inside the first fox.
    const shown = showValue(`${'a'.repeat(39)}${'🦊'.repeat(5)}`);
    expect(shown).toBe(JSON.stringify(`${'a'.repeat(39)}🦊...`));
    expect(shown.includes('\\ud83e')).toBe(false);
    expect(showValue('🦊'.repeat(40))).toBe(JSON.stringify('🦊'.repeat(40)));
  });

  it('shortens a long array or object the same way', () => {
    const shown = showValue([`${'a'.repeat(37)}${'🦊'.repeat(5)}`]);
    expect(/[\uD800-\uDFFF]/u.test(shown)).toBe(false);
    expect(shown).toBe(`["${'a'.repeat(37)}🦊...`);
  });

  it('keeps short values whole', () => {
    expect(showValue('abc')).toBe('"abc"');
    expect(showValue(3)).toBe('3');
    expect(showValue(undefined)).toBe('nothing');
  });
});
