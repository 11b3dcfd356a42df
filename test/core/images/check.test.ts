import { mkdir, truncate } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkImageFile, DEFAULT_INPUT_LIMITS, type InputCheck } from '../../../src/core/images';
import { describeFsError } from '../../../src/core/images/source';
import { animatedGif, heicLike, makeTempDir, noisy, pdfLike, pngClaiming, solid, writeFixture } from './fixtures';

let dir: string;
let cleanup: () => Promise<void>;
beforeAll(async () => ({ dir, cleanup } = await makeTempDir('check')));
afterAll(() => cleanup());

function reasonOf(check: InputCheck): string {
  if (check.ok) throw new Error(`expected a rejection, got ${JSON.stringify(check)}`);
  return check.reason;
}

describe('DEFAULT_INPUT_LIMITS', () => {
  it('has the documented defaults', () => {
    expect(DEFAULT_INPUT_LIMITS).toEqual({
      maxFileBytes: 50 * 1024 * 1024,
      maxPixels: 50_000_000,
      maxLongSide: 2048,
      minRecommendedSide: 512,
    });
  });
});

describe('checkImageFile accepts', () => {
  it.each([
    ['png', 'a.png', () => solid(64, 48, { r: 10, g: 200, b: 30 }).png().toBuffer()],
    ['jpeg', 'a.jpg', () => solid(64, 48, { r: 10, g: 200, b: 30 }).jpeg().toBuffer()],
    ['webp', 'a.webp', () => solid(64, 48, { r: 10, g: 200, b: 30 }).webp().toBuffer()],
    ['gif', 'a.gif', () => solid(64, 48, { r: 10, g: 200, b: 30 }).gif().toBuffer()],
    ['avif', 'a.avif', () => solid(64, 48, { r: 10, g: 200, b: 30 }).avif().toBuffer()],
  ] as const)('%s with its kind, dimensions and size', async (kind, name, make) => {
    const data = await make();
    const check = await checkImageFile(await writeFixture(dir, name, data));
    expect(check).toEqual({ ok: true, kind, width: 64, height: 48, bytes: data.byteLength });
  });

  it('by content, not by extension', async () => {
    const png = await solid(20, 10, { r: 1, g: 2, b: 3 }).png().toBuffer();
    const check = await checkImageFile(await writeFixture(dir, 'really-a-png.jpg', png));
    expect(check).toMatchObject({ ok: true, kind: 'png' });
  });

  it('reports dimensions as displayed, after EXIF orientation', async () => {
    const rotated = await solid(60, 30, { r: 0, g: 0, b: 0 }).jpeg().withMetadata({ orientation: 6 }).toBuffer();
    const check = await checkImageFile(await writeFixture(dir, 'rotated.jpg', rotated));
    expect(check).toMatchObject({ ok: true, width: 30, height: 60 });
  });

  it('an animated GIF, measured by its first frame', async () => {
    const check = await checkImageFile(await writeFixture(dir, 'anim.gif', await animatedGif()));
    expect(check).toMatchObject({ ok: true, kind: 'gif', width: 30, height: 20 });
  });
});

describe('checkImageFile rejects, naming the file and the reason', () => {
  it('a PDF', async () => {
    const reason = reasonOf(await checkImageFile(await writeFixture(dir, 'notes.pdf', pdfLike())));
    expect(reason).toBe('notes.pdf is a PDF document, not an image. Use a PNG, JPEG, WebP, GIF or AVIF image.');
  });

  it('a PDF even when named .png', async () => {
    const reason = reasonOf(await checkImageFile(await writeFixture(dir, 'fake.png', pdfLike())));
    expect(reason).toBe('fake.png is a PDF document, not an image. Use a PNG, JPEG, WebP, GIF or AVIF image.');
  });

  it('a text file', async () => {
    const reason = reasonOf(await checkImageFile(await writeFixture(dir, 'readme.png', 'hello\nthis is text\n')));
    expect(reason).toBe('readme.png is a text file, not an image. Use a PNG, JPEG, WebP, GIF or AVIF image.');
  });

  it('an SVG', async () => {
    const svg = '<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>';
    const reason = reasonOf(await checkImageFile(await writeFixture(dir, 'logo.svg', svg)));
    expect(reason).toBe("logo.svg is an SVG drawing, which isn't supported yet. Export it as PNG first.");
  });

  it('binary junk', async () => {
    const junk = Buffer.from(Array.from({ length: 300 }, (_, i) => (i * 37 + 11) % 256));
    const reason = reasonOf(await checkImageFile(await writeFixture(dir, 'junk.bin', junk)));
    expect(reason).toBe('junk.bin is not a recognised image file. Use a PNG, JPEG, WebP, GIF or AVIF image.');
  });

  it('a HEIC photo, saying how to get a supported one', async () => {
    const reason = reasonOf(await checkImageFile(await writeFixture(dir, 'photo.heic', heicLike())));
    expect(reason).toBe("photo.heic is a HEIC image, which isn't supported yet. Export it as JPEG or PNG first.");
  });

  it('another image format sharp could read but we do not take (TIFF)', async () => {
    const tiff = await solid(8, 8, { r: 0, g: 0, b: 0 }).tiff().toBuffer();
    const reason = reasonOf(await checkImageFile(await writeFixture(dir, 'scan.tif', tiff)));
    expect(reason).toBe("scan.tif is a TIFF image, which isn't supported yet. Export it as JPEG or PNG first.");
  });

  it('an empty file', async () => {
    const reason = reasonOf(await checkImageFile(await writeFixture(dir, 'empty.png', '')));
    expect(reason).toBe('empty.png is empty (0 bytes): a download or copy that did not finish leaves such a file. Use the complete image.');
  });

  it('a truncated JPEG whose header is intact', async () => {
    const jpeg = await noisy(400, 300).jpeg().toBuffer();
    const path = await writeFixture(dir, 'x.jpg', jpeg.subarray(0, Math.floor(jpeg.length / 2)));
    expect(reasonOf(await checkImageFile(path))).toBe('x.jpg could not be read: the file is damaged or incomplete.');
  });

  it('a truncated PNG', async () => {
    const png = await noisy(300, 200).png().toBuffer();
    const path = await writeFixture(dir, 'cut.png', png.subarray(0, Math.floor(png.length / 2)));
    expect(reasonOf(await checkImageFile(path))).toBe('cut.png could not be read: the file is damaged or incomplete.');
  });

  it('a PNG cut inside its header', async () => {
    const png = await solid(30, 30, { r: 0, g: 0, b: 0 }).png().toBuffer();
    const path = await writeFixture(dir, 'stub.png', png.subarray(0, 20));
    expect(reasonOf(await checkImageFile(path))).toBe('stub.png could not be read: the file is damaged or incomplete.');
  });

  it('a missing file', async () => {
    const reason = reasonOf(await checkImageFile(join(dir, 'gone.png')));
    expect(reason).toBe('gone.png was not found. It may have been moved or deleted.');
  });

  it('a folder', async () => {
    await mkdir(join(dir, 'album.png'));
    expect(reasonOf(await checkImageFile(join(dir, 'album.png')))).toBe('album.png is a folder, not an image file.');
  });

  it.skipIf(process.platform === 'win32' || process.getuid?.() === 0)('an unreadable file', async () => {
    const { chmod } = await import('node:fs/promises');
    const path = await writeFixture(dir, 'locked.png', await solid(4, 4, { r: 0, g: 0, b: 0 }).png().toBuffer());
    await chmod(path, 0o000);
    expect(reasonOf(await checkImageFile(path))).toBe('locked.png could not be opened: permission denied. Allow your user to read it (or copy it to a folder of yours) and try again.');
  });

  it('words permission and busy errors plainly (the chmod test cannot run as root)', () => {
    const err = (code: string) => Object.assign(new Error(code), { code });
    expect(describeFsError('a.png', err('EACCES'))).toBe('a.png could not be opened: permission denied. Allow your user to read it (or copy it to a folder of yours) and try again.');
    expect(describeFsError('a.png', err('EPERM'))).toBe('a.png could not be opened: permission denied. Allow your user to read it (or copy it to a folder of yours) and try again.');
    expect(describeFsError('a.png', err('EBUSY'))).toBe('a.png could not be opened: it is in use by another program. Close that program and try again.');
    expect(describeFsError('a.png', err('EIO'))).toBe('a.png could not be opened (EIO). Copy it to another folder and try again.');
  });

  it('a file over the size cap, judged by stat before reading', async () => {
    // A sparse 60 MiB file of zeros: if it were read, it would be "not a recognised image".
    const path = await writeFixture(dir, 'big.png', '');
    await truncate(path, 60 * 1024 * 1024);
    const reason = reasonOf(await checkImageFile(path));
    expect(reason).toBe('big.png is 60 MB; the limit is 50 MB. Use a smaller file.');
  });

  it('a size just over a custom cap without making it look equal to the cap', async () => {
    const png = await noisy(100, 100).png().toBuffer();
    const limits = { ...DEFAULT_INPUT_LIMITS, maxFileBytes: png.byteLength - 1 };
    const reason = reasonOf(await checkImageFile(await writeFixture(dir, 'edge.png', png), limits));
    expect(reason).toMatch(/^edge\.png is [\d.]+ MB; the limit is [\d.]+ MB\. Use a smaller file\.$/);
  });

  it('a decompression bomb: a tiny PNG claiming 100000 x 100000 pixels', async () => {
    const bomb = await pngClaiming(100_000, 100_000);
    expect(bomb.byteLength).toBeLessThan(200);
    const reason = reasonOf(await checkImageFile(await writeFixture(dir, 'bomb.png', bomb)));
    expect(reason).toBe(
      'bomb.png is 100000 x 100000 pixels (10000 MP); the limit is 50 MP. Scale it down and try again.',
    );
  });

  // Past what the decoder reads at all (a PNG side of 2^31-1, a JPEG side over 65,500), the header is
  // "corrupt" to sharp: such a photo was called damaged, and the user sent off to find a good copy.
  it('a PNG claiming 2147483647 x 2147483647 pixels (past what the PNG decoder reads)', async () => {
    const reason = reasonOf(await checkImageFile(await writeFixture(dir, 'max.png', await pngClaiming(2 ** 31 - 1, 2 ** 31 - 1))));
    expect(reason).toMatch(/^max\.png is 2147483647 x 2147483647 pixels \(\d+ MP\); the limit is 50 MP\. Scale it down and try again\.$/);
  });

  /** A small JPEG whose frame header claims `width` x `height`. */
  const jpegClaiming = async (width: number, height: number) => {
    const jpeg = Buffer.from(await solid(8, 8, { r: 9, g: 9, b: 9 }).jpeg().toBuffer());
    const sof = jpeg.indexOf(Buffer.from([0xff, 0xc0]));
    jpeg.writeUInt16BE(height, sof + 5);
    jpeg.writeUInt16BE(width, sof + 7);
    return jpeg;
  };

  it('a JPEG claiming 65535 x 65535 pixels (past what JPEG decoders read)', async () => {
    const reason = reasonOf(await checkImageFile(await writeFixture(dir, 'wall.jpg', await jpegClaiming(65535, 65535))));
    expect(reason).toBe('wall.jpg is 65535 x 65535 pixels (4295 MP); the limit is 50 MP. Scale it down and try again.');
  });

  it('a JPEG 65535 pixels wide, under the pixel cap but wider than JPEG decoders read', async () => {
    const reason = reasonOf(await checkImageFile(await writeFixture(dir, 'strip.jpg', await jpegClaiming(65535, 8))));
    expect(reason).toBe('strip.jpg is 65535 x 8 pixels, wider or taller than can be read. Scale it down and try again.');
  });

  it('an image over a custom pixel cap', async () => {
    const png = await solid(200, 100, { r: 0, g: 0, b: 0 }).png().toBuffer();
    const limits = { ...DEFAULT_INPUT_LIMITS, maxPixels: 10_000 };
    const reason = reasonOf(await checkImageFile(await writeFixture(dir, 'wide.png', png), limits));
    expect(reason).toBe('wide.png is 200 x 100 pixels (0.02 MP); the limit is 0.01 MP. Scale it down and try again.');
  });
});
