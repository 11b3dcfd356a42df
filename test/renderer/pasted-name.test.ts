// A pasted or browser-dropped image travels by bytes with its file name cut to the 255 units the
// contract takes: the cut name never ends in a space and is never empty (an empty name made the
// whole jobs:add call fail its check).
import { describe, expect, it } from 'vitest';
import { ImageItemSchema } from '../../src/shared/contract';
import { bytesItemName } from '../../src/renderer/src/lib/pasted-name';

function nameOf(fileName: string): string {
  const name = bytesItemName(fileName);
  expect(ImageItemSchema.safeParse({ kind: 'bytes', name, bytes: new Uint8Array([1]) }).success).toBe(true);
  return name;
}

describe('a long pasted file name', () => {
  it('is cut without the space the cut stopped after', () => {
    expect(nameOf(`${'x'.repeat(254)} y.png`)).toBe('x'.repeat(254));
  });

  it('that has nothing left once cut is named "image"', () => {
    // Its first character (a letter and 300 accents, 301 UTF-16 units) alone is over the 255 units.
    expect(nameOf(`a${'\u0301'.repeat(300)}.png`)).toBe('image');
    expect(nameOf('   ')).toBe('image');
    expect(nameOf('')).toBe('image');
  });

  it('that fits is kept as it is', () => {
    expect(nameOf('photo 🦊.png')).toBe('photo 🦊.png');
  });
});
