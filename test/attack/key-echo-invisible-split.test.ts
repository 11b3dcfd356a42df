// Attack: an answer echoes the FAL key with an invisible character between each of its own (a zero-width
// space, a soft hyphen, a word joiner). On a terminal, in the app and in a log copied into a bug report it
// reads as the whole key, but the redaction matched only the key's exact characters, so it went through:
// a CLI convert printed "FAL refused the API key (HTTP 401: ... p<U+200B>l<U+200B>a<U+200B>n...)".
// The key and its halves are now redacted with such characters anywhere inside them.
import { expect, it } from 'vitest';
import { namesKey, redactKeys, redactSecrets } from '../../src/core/fal/redact';

const KEY = 'plantedkey-123:secret456';
const visible = (text: string) => text.replace(/[\u00ad\u200b-\u200f\u2060-\u2064\ufeff]/g, '');

it.each([
  ['zero-width spaces', '\u200b'],
  ['soft hyphens', '\u00ad'],
  ['word joiners', '\u2060'],
  ['a BOM', '\ufeff'],
])('a key echoed with %s between its characters is redacted', (_label, mark) => {
  const echoed = `HTTP 401: key was ${[...KEY].join(mark)}; secret ${[...'secret456'].join(mark)}`;
  const out = redactSecrets(echoed, KEY);
  expect(visible(out)).not.toMatch(/plantedkey|secret456/i);
  expect(visible(redactKeys(echoed, [KEY, null]))).not.toMatch(/plantedkey|secret456/i);
  expect(namesKey(echoed, [KEY])).toBe(true);
});

it('the key as it is, and text that only looks near it, are treated as before', () => {
  expect(redactSecrets(`a ${KEY} b`, KEY)).toBe('a [redacted] b');
  expect(redactSecrets('plantedkey-12 and secret45', KEY)).toBe('plantedkey-12 and secret45');
  expect(namesKey('nothing here', [KEY])).toBe(false);
});
