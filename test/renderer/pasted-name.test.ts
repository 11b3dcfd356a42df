// A pasted or browser-dropped image travels by bytes with its file name cut to the 255 units the
// contract takes: the cut keeps the file extension (the model is named after the name without it, and
// a cut that took ".png" away left it named after half a word), marks the cut with '…', never ends the
// kept part in a space and is never empty (an empty name made the whole jobs:add call fail its check).
// The intake notice says when a name was cut.
import { describe, expect, it } from 'vitest';
import { ImageItemSchema } from '../../src/shared/contract';
import { BYTES_NAME_MAX, bytesItemName, shortenedNote } from '../../src/renderer/src/lib/pasted-name';

function nameOf(fileName: string): string {
  const { name, cut } = bytesItemName(fileName);
  expect(ImageItemSchema.safeParse({ kind: 'bytes', name, bytes: new Uint8Array([1]) }).success).toBe(true);
  expect(cut).toBe(fileName.trim().length > BYTES_NAME_MAX);
  return name;
}

describe('a long pasted file name', () => {
  it('keeps its extension, with … where it was cut, and is as long as the contract takes', () => {
    const name = nameOf(`Screenshot of the quarterly review ${'x'.repeat(300)} final version.png`);
    expect(name.endsWith('….png')).toBe(true);
    expect(name.startsWith('Screenshot of the quarterly review xxx')).toBe(true);
    expect(name).toHaveLength(BYTES_NAME_MAX);
  });

  it('keeps its extension when the name is full of dots (a date, a version)', () => {
    expect(nameOf(`Scan 2026.05.01 v1.2 ${'y'.repeat(300)}.jpeg`)).toMatch(/^Scan 2026\.05\.01 v1\.2 y+…\.jpeg$/);
  });

  it('takes only a real extension for one: a version at its end is part of the name, cut with it', () => {
    // It kept ".2" as the file type: "Scan v1….2", and the note said the file type was kept.
    const name = nameOf(`Scan v1.2 ${'y'.repeat(300)} v1.2`);
    expect(name).toMatch(/^Scan v1\.2 y+…$/);
    expect(shortenedNote([name])).toBe(`A name longer than 255 characters was shortened to fit: “${name.slice(0, 40)}…”.`);
    expect(nameOf(`Scan ${'y'.repeat(300)}.JPG`)).toMatch(/^Scan y+…\.JPG$/);
  });

  it('is cut without the space the cut stopped after', () => {
    // 250 units of stem fit beside "….png": the 250th is the space.
    expect(nameOf(`${'x'.repeat(249)} ${'y'.repeat(20)}.png`)).toBe(`${'x'.repeat(249)}….png`);
  });

  it('never in half an emoji', () => {
    const name = nameOf(`${'🦊'.repeat(200)}.webp`);
    expect(name).toMatch(/^(🦊)+…\.webp$/u);
    expect(name.length).toBeLessThanOrEqual(BYTES_NAME_MAX);
  });

  it('without an extension is cut at its end, marked', () => {
    const name = nameOf(`${'word '.repeat(80)}`);
    expect(name.endsWith('word…')).toBe(true);
    expect(name.length).toBeLessThanOrEqual(BYTES_NAME_MAX);
  });

  it('that has nothing left once cut is named "image", with its extension', () => {
    // Its first character (a letter and 300 accents, 301 UTF-16 units) alone is over the 255 units.
    expect(nameOf(`a${'\u0301'.repeat(300)}.png`)).toBe('image.png');
    expect(nameOf(`a${'\u0301'.repeat(300)}`)).toBe('image');
    expect(nameOf('   ')).toBe('image');
    expect(nameOf('')).toBe('image');
  });

  it('that fits is kept as it is', () => {
    expect(nameOf('photo 🦊.png')).toBe('photo 🦊.png');
    expect(nameOf(`${'x'.repeat(251)}.png`)).toBe(`${'x'.repeat(251)}.png`);
  });
});

describe('the note on cut names', () => {
  it('says nothing when no name was cut', () => {
    expect(shortenedNote([])).toBeNull();
  });

  it('names the one cut name by its start and its extension', () => {
    const { name } = bytesItemName(`Screenshot of the quarterly review ${'x'.repeat(300)}.png`);
    expect(shortenedNote([name])).toBe('A name longer than 255 characters was shortened to fit, keeping its file type: “Screenshot of the quarterly review xxxxx….png”.');
  });

  it('counts several', () => {
    const names = [`${'a'.repeat(300)}.png`, `${'b'.repeat(300)}.jpg`].map((n) => bytesItemName(n).name);
    expect(shortenedNote(names)).toBe('2 names longer than 255 characters were shortened to fit, keeping their file types.');
  });
});
