import { describe, expect, it } from 'vitest';
import { otherFormatOf, parseFalOutput, toFileRef } from '../../../src/core/models/fal-output';

describe('toFileRef', () => {
  it('keeps the known File fields in camelCase and drops the rest', () => {
    expect(toFileRef({ url: 'https://a/b.glb', content_type: 'model/gltf-binary', file_name: 'b.glb', file_size: 10, extra: 1 })).toEqual({
      url: 'https://a/b.glb', contentType: 'model/gltf-binary', fileName: 'b.glb', fileSize: 10,
    });
  });

  it('accepts a File with only a url, or a bare url string', () => {
    expect(toFileRef({ url: 'https://a/b.glb' })).toEqual({ url: 'https://a/b.glb' });
    expect(toFileRef('https://a/b.glb')).toEqual({ url: 'https://a/b.glb' });
  });

  it('ignores malformed optional fields and rejects Files without a url', () => {
    expect(toFileRef({ url: 'https://a', file_size: 'big', content_type: null })).toEqual({ url: 'https://a' });
    expect(toFileRef({ url: '' })).toBeNull();
    expect(toFileRef({ url: 5 })).toBeNull();
    expect(toFileRef(null)).toBeNull();
    expect(toFileRef([{ url: 'https://a' }])).toBeNull();
  });
});

describe('otherFormatOf', () => {
  it('spots non-GLB files by name, url or content type, and lets GLB or unknown pass', () => {
    expect(otherFormatOf({ url: 'https://a/m.fbx' })).toBe('FBX');
    expect(otherFormatOf({ url: 'https://a/x?sig=1', fileName: 'assets.zip' })).toBe('ZIP');
    expect(otherFormatOf({ url: 'https://a/x', contentType: 'application/zip' })).toBe('application/zip');
    expect(otherFormatOf({ url: 'https://a/m.glb?sig=abc.fbx' })).toBeNull();
    expect(otherFormatOf({ url: 'https://a/blob' })).toBeNull();
    expect(otherFormatOf({ url: 'https://a/m.fbx', fileName: 'm.glb' })).toBeNull();
  });
});

describe('parseFalOutput', () => {
  it('takes the next field when the first holds another format', () => {
    const output = { a: { url: 'https://x/m.obj' }, b: { url: 'https://x/m.glb' } };
    expect(parseFalOutput(output, 'M', ['a', 'b'])).toEqual({ glb: { url: 'https://x/m.glb' }, preview: null });
  });

  it('treats an array answer as not an object', () => {
    expect(parseFalOutput([], 'M', ['a'])).toEqual({ error: expect.stringContaining('not an object') });
  });
});
