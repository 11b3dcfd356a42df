// The name a photo gives its model: only a real extension is removed. `path.extname` took whatever
// followed the last dot, so "chair v1.2" (a photo kept without its extension, or a set's name, which
// has none) became "chair v1"; a set of "mug v2 front/back" was "mug v" (its version read as numbering).
import { describe, expect, it } from 'vitest';
import { setOutputName } from '../../src/cli/write-output';
import { setDisplayName } from '../../src/shared/input-roles';
import { nameWithoutExtension } from '../../src/shared/name-from-file';

describe('nameWithoutExtension', () => {
  it.each([
    ['chair v1.2.png', 'chair v1.2'],
    ['chair v1.2', 'chair v1.2'],
    ['a.b.c.jpeg', 'a.b.c'],
    ['.hidden.png', '.hidden'],
    ['.hidden', '.hidden'],
    ['.png', '.png'],
    ['name.', 'name'],
    ['photo.JPG', 'photo'],
    ['Mr. Smith', 'Mr. Smith'],
    ['report.final', 'report.final'],
    ['photo.jpg.webp', 'photo.jpg'],
    ['shots/chair v1.2.png', 'chair v1.2'],
    ['C:\\shots\\chair v1.2.PNG', 'chair v1.2'],
    ['椅子 v1.2.jpeg', '椅子 v1.2'],
    ['Stuhl Größe 1.5.heic', 'Stuhl Größe 1.5'],
    ['🪑 v1.2.webp', '🪑 v1.2'],
    ['🪑 v1.2', '🪑 v1.2'],
  ])('%s -> %s', (name, stem) => {
    expect(nameWithoutExtension(name)).toBe(stem);
  });
});

describe('a set named by its photos keeps their version numbers', () => {
  it.each([
    [['chair v1.2_front.png', 'chair v1.2_back.png'], 'chair v1.2'],
    [['chair v1.2.png', 'table.png'], 'chair v1.2'],
    [['mug v2 front.jpg', 'mug v2 back.jpg'], 'mug v2'],
    [['chair v1.2.1.png', 'chair v1.2.2.png'], 'chair v1.2'],
    [['a.b.c.jpeg', 'a.b.c back.jpeg'], 'a.b.c'],
    [['.hidden.png', 'x.png'], '.hidden'],
    [['椅子 v1.2 front.png', '椅子 v1.2 left.png'], '椅子 v1.2'],
    // A numbering the names share the start of is still not part of the name.
    [['chair 01.jpg', 'chair 02.jpg'], 'chair'],
    [['IMG_2041.jpg', 'IMG_2042.jpg'], 'IMG'],
    [['chair 1.jpg', 'chair 12.jpg'], 'chair'],
  ])('%j -> %s', (names, name) => {
    expect(setDisplayName(names)).toBe(name);
  });

  it("the CLI's file of such a set has the same name", () => {
    expect(setOutputName(['chair v1.2_front.png', 'chair v1.2_back.png'])).toBe('chair v1.2.glb');
  });
});
