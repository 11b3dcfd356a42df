// The one "inside this folder" rule, by path text, on POSIX and Windows rules; the boundaries that use
// it are attacked through their real entries in test/attack/path-containment.test.ts.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { toAbsolutePath, toStoredPath } from '../../../src/core/paths';
import { isWithin } from '../../../src/core/util/within';

describe('isWithin', () => {
  it('takes the folder itself and what is under it, however the folder is spelled', () => {
    const { posix } = path;
    for (const root of ['/data/lib', '/data/lib/', '/data/./lib', '/data/x/../lib']) {
      expect(isWithin('/data/lib', root, posix), root).toBe(true);
      expect(isWithin('/data/lib/a/b.glb', root, posix), root).toBe(true);
      expect(isWithin('/data/lib/..notes.png', root, posix), root).toBe(true); // a name, not a step
    }
    expect(isWithin('/x', '/', posix)).toBe(true);
  });

  it('refuses siblings sharing the name, parents, and `..` steps out', () => {
    const { posix } = path;
    for (const outside of ['/data/library-evil/a', '/data/lib-evil', '/data/li', '/data', '/', '/data/lib/../evil', '/data/lib/a/../../evil', 'relative/elsewhere']) {
      expect(isWithin(outside, '/data/lib', posix), outside).toBe(false);
    }
  });

  it('counts Windows paths as Windows does: any case, either slash, and never another drive', () => {
    const { win32 } = path;
    expect(isWithin('c:\\users\\me\\appdata\\image2model\\library', 'C:\\Users\\Me\\AppData\\Image2Model', win32)).toBe(true);
    expect(isWithin('C:/Users/Me/AppData/Image2Model/library', 'C:\\Users\\Me\\AppData\\Image2Model', win32)).toBe(true);
    expect(isWithin('C:\\Users\\Me\\AppData\\Image2Model-evil', 'C:\\Users\\Me\\AppData\\Image2Model', win32)).toBe(false);
    expect(isWithin('D:\\Users\\Me\\AppData\\Image2Model\\library', 'C:\\Users\\Me\\AppData\\Image2Model', win32)).toBe(false);
    expect(isWithin('\\\\server\\share\\Image2Model', 'C:\\Image2Model', win32)).toBe(false);
  });
});

describe('stored paths use the same rule', () => {
  it('keeps a file named `..something` inside the data folder relative, and one outside absolute', () => {
    const root = path.resolve('/data/i2m');
    const inside = path.join(root, 'inputs', '..photo.png');
    expect(toStoredPath(root, path.join(root, '..photo.png'))).toBe('..photo.png');
    expect(toAbsolutePath(root, toStoredPath(root, inside))).toBe(inside);
    const outside = path.resolve('/data/i2m-other/a.png');
    expect(toStoredPath(root, outside)).toBe(outside);
  });
});
