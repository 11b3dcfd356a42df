// Attack: after 8102d4a the redaction matched the key with a zero-width space, soft hyphen, word joiner
// or BOM between its characters, but not with the other characters that show nothing: bidi isolates
// and embeddings (U+2066-2069, U+202A-202E), variation selectors, the combining grapheme joiner, the
// Mongolian vowel separator, Hangul fillers, tag characters. An answer interleaving those went through
// whole and read as the full key on a terminal, in the app and in a copied log. The redaction now takes
// Unicode's whole default-ignorable set.
import { expect, it } from 'vitest';
import { namesKey, redactKeys, redactSecrets } from '../../src/core/fal/redact';

const KEY = 'plantedkey-123:secret456';
const visible = (text: string) => text.replace(/\p{Default_Ignorable_Code_Point}/gu, '');

it.each([
  ['left-to-right isolates', '\u2066'],
  ['pop directional isolates', '\u2069'],
  ['left-to-right embeddings', '\u202a'],
  ['variation selectors', '\ufe0f'],
  ['combining grapheme joiners', '\u034f'],
  ['Mongolian vowel separators', '\u180e'],
  ['Hangul fillers', '\u3164'],
  ['tag spaces', '\u{e0020}'],
])('a key echoed with %s between its characters is redacted', (_label, mark) => {
  const echoed = `HTTP 403: User is locked, key ${[...KEY].join(mark)}; secret ${[...'secret456'].join(mark)}`;
  expect(visible(redactSecrets(echoed, KEY))).not.toMatch(/plantedkey|secret456/i);
  expect(visible(redactKeys(echoed, [KEY, null]))).not.toMatch(/plantedkey|secret456/i);
  expect(namesKey(echoed, [KEY])).toBe(true);
});

it('visible text around the key, and text only near it, are kept', () => {
  expect(redactSecrets(`\u2066a ${KEY} b\u2069`, KEY)).toBe('\u2066a [redacted] b\u2069');
  expect(redactSecrets('plantedkey-12 and secret45', KEY)).toBe('plantedkey-12 and secret45');
});
