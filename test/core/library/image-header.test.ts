import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { inspectImageHeader, readImageHeader } from '../../../src/core/library/image-header';
import { makeTestJpeg, makeTestPng } from '../../fixtures/make-glb';

describe('readImageHeader', () => {
  it('reads PNG and JPEG (baseline and progressive) sizes', async () => {
    expect(readImageHeader(await makeTestPng(37, 21))).toEqual({ mimeType: 'image/png', width: 37, height: 21 });
    expect(readImageHeader(await makeTestJpeg(50, 30))).toEqual({ mimeType: 'image/jpeg', width: 50, height: 30 });
    const progressive = await sharp(await makeTestPng(45, 19)).jpeg({ progressive: true }).toBuffer();
    expect(readImageHeader(progressive)).toEqual({ mimeType: 'image/jpeg', width: 45, height: 19 });
  });

  it('reads lossy, lossless and extended WebP sizes', async () => {
    const png = await makeTestPng(33, 17);
    const pngAlpha = await makeTestPng(33, 17, { alpha: true });
    const lossy = await sharp(png).webp().toBuffer();
    const lossless = await sharp(png).webp({ lossless: true }).toBuffer();
    const extended = await sharp(pngAlpha).webp().toBuffer(); // alpha makes sharp write VP8X
    expect(lossy.subarray(12, 16).toString('latin1')).toBe('VP8 ');
    expect(lossless.subarray(12, 16).toString('latin1')).toBe('VP8L');
    expect(extended.subarray(12, 16).toString('latin1')).toBe('VP8X');
    for (const webp of [lossy, lossless, extended]) {
      expect(readImageHeader(webp)).toEqual({ mimeType: 'image/webp', width: 33, height: 17 });
    }
  });

  it('reads the KTX2 header', () => {
    // The 80-byte header (one 2D image: one face) and the index of its one level (24 bytes, empty).
    const ktx2 = new Uint8Array(80 + 24);
    ktx2.set([0xab, 0x4b, 0x54, 0x58, 0x20, 0x32, 0x30, 0xbb, 0x0d, 0x0a, 0x1a, 0x0a]);
    const dv = new DataView(ktx2.buffer);
    dv.setUint32(20, 1024, true);
    dv.setUint32(24, 512, true);
    dv.setUint32(36, 1, true);
    expect(readImageHeader(ktx2)).toEqual({ mimeType: 'image/ktx2', width: 1024, height: 512 });
    expect(inspectImageHeader(ktx2.subarray(0, 80))).toEqual({ mimeType: 'image/ktx2', damage: 'its index of levels (1) runs past its end' });
  });

  it('returns null for other or cut-off data', async () => {
    expect(readImageHeader(new TextEncoder().encode('GIF89a........'))).toBeNull();
    expect(readImageHeader((await makeTestPng(8, 8)).subarray(0, 12))).toBeNull();
    expect(readImageHeader(new Uint8Array([0xff, 0xd8, 0xff, 0xe0]))).toBeNull();
  });
});
