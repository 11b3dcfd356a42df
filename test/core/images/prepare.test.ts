import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_INPUT_LIMITS, prepareInput, prepareInputBytes, type PreparedInput } from '../../../src/core/images';
import {
  animatedGif,
  makeTempDir,
  noisy,
  orientedJpegWithGps,
  pdfLike,
  pixelAt,
  pngClaiming,
  solid,
  writeFixture,
} from './fixtures';

let dir: string;
let cleanup: () => Promise<void>;
let srcDir: string;
beforeAll(async () => {
  ({ dir, cleanup } = await makeTempDir('prepare'));
  srcDir = join(dir, 'src');
  const { mkdir } = await import('node:fs/promises');
  await mkdir(srcDir);
});
afterAll(() => cleanup());

/** A fresh inputs folder per test so file counts are the test's own. */
let inputsCounter = 0;
function freshInputsDir(): string {
  return join(dir, `inputs-${++inputsCounter}`);
}

async function prepared(name: string, data: Uint8Array, limits = DEFAULT_INPUT_LIMITS): Promise<PreparedInput> {
  const result = await prepareInput(await writeFixture(srcDir, name, data), freshInputsDir(), limits);
  if (!result.ok) throw new Error(`expected success, got: ${result.reason}`);
  return result.input;
}

function isRed(px: number[]): boolean {
  const [r = 0, g = 0, b = 0] = px;
  return r > 200 && g < 60 && b < 60;
}

describe('prepareInput output file', () => {
  it('is content-addressed in the inputs folder and matches what it reports', async () => {
    const inputsDir = freshInputsDir();
    const result = await prepareInput(
      await writeFixture(srcDir, 'photo.jpg', await solid(640, 600, { r: 30, g: 60, b: 90 }).jpeg().toBuffer()),
      inputsDir,
    );
    if (!result.ok) throw new Error(result.reason);
    const { input } = result;
    const bytes = await readFile(input.path);
    expect(input.path).toBe(join(inputsDir, `${input.sha256}.jpg`));
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(input.sha256);
    expect(input.bytes).toBe(bytes.byteLength);
    expect(input.originalName).toBe('photo.jpg');
    expect(input.mime).toBe('image/jpeg');
    const meta = await sharp(input.path).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['jpeg', input.width, input.height]);
    expect(input.warnings).toEqual([]);
    // Nothing left behind by the atomic write.
    expect(await readdir(inputsDir)).toEqual([`${input.sha256}.jpg`]);
  });

  it('is the same file, with the same sha256, when the same image is prepared twice', async () => {
    const inputsDir = freshInputsDir();
    const png = await noisy(300, 520).png().toBuffer();
    const first = await prepareInput(await writeFixture(srcDir, 'one.png', png), inputsDir);
    const second = await prepareInput(await writeFixture(srcDir, 'two.png', png), inputsDir);
    if (!first.ok || !second.ok) throw new Error('expected success');
    expect(second.input.sha256).toBe(first.input.sha256);
    expect(second.input.path).toBe(first.input.path);
    expect(second.input.originalName).toBe('two.png');
    expect(await readdir(inputsDir)).toHaveLength(1);
  });

  it("makes the same bytes as earlier versions with the 'mozjpeg' encoding (a folder's photos keep their identity)", async () => {
    // The pipeline every earlier version ran: the sha256 of its output is how a folder made then knows a photo again.
    const jpeg = await noisy(700, 500).jpeg({ quality: 95 }).toBuffer();
    const { data, info } = await sharp(jpeg).autoOrient().resize(2048, 2048, { fit: 'inside', withoutEnlargement: true }).toColourspace('srgb').raw({ depth: 'uchar' }).toBuffer({ resolveWithObject: true });
    const before = await sharp(data, { raw: { width: info.width, height: info.height, channels: info.channels as 3 } }).removeAlpha().jpeg({ quality: 92, mozjpeg: true }).toBuffer();
    const kept = await prepareInput(await writeFixture(srcDir, 'kept.jpg', jpeg), freshInputsDir(), DEFAULT_INPUT_LIMITS, 'mozjpeg');
    const fast = await prepareInput(await writeFixture(srcDir, 'fast.jpg', jpeg), freshInputsDir(), DEFAULT_INPUT_LIMITS, 'fast');
    if (!kept.ok || !fast.ok) throw new Error('expected success');
    expect(kept.input.sha256).toBe(createHash('sha256').update(before).digest('hex'));
    // The fast encoding: the same picture (size, orientation), other bytes.
    expect([fast.input.width, fast.input.height, fast.input.mime]).toEqual([kept.input.width, kept.input.height, 'image/jpeg']);
    expect(fast.input.sha256).not.toBe(kept.input.sha256);
  });
});

describe('prepareInput pixels and metadata', () => {
  it('applies EXIF orientation 6: dimensions swap and the top-left red block ends up top-right', async () => {
    const input = await prepared('rotated.jpg', await orientedJpegWithGps());
    expect([input.width, input.height]).toEqual([40, 80]);
    expect(isRed(await pixelAt(input.path, 35, 5))).toBe(true);
    expect(isRed(await pixelAt(input.path, 5, 5))).toBe(false);
    expect((await sharp(input.path).metadata()).orientation).toBeUndefined();
  });

  it('strips EXIF (camera, GPS), XMP, ICC and PNG text', async () => {
    const source = await orientedJpegWithGps();
    const before = await sharp(source).metadata();
    expect(before.exif?.toString('latin1')).toContain('SecretCam');
    expect(before.xmp).toBeDefined();

    const input = await prepared('gps.jpg', source);
    const after = await sharp(input.path).metadata();
    expect(after.exif).toBeUndefined();
    expect(after.xmp).toBeUndefined();
    expect(after.iptc).toBeUndefined();
    expect(after.icc).toBeUndefined();
    const raw = await readFile(input.path);
    expect(raw.includes('SecretCam')).toBe(false);
    expect(raw.includes('Jane Doe')).toBe(false);

    const pngWithText = await solid(600, 600, { r: 9, g: 9, b: 9, alpha: 0.5 }, 4)
      .png()
      .withMetadata({})
      .withExif({ IFD0: { Artist: 'Jane Doe' } })
      .toBuffer();
    const png = await prepared('text.png', pngWithText);
    const pngMeta = await sharp(png.path).metadata();
    expect(pngMeta.exif).toBeUndefined();
    expect(pngMeta.comments).toBeUndefined();
    expect((await readFile(png.path)).includes('Jane Doe')).toBe(false);
  });

  it('downscales so the long side is at most maxLongSide, keeping the aspect ratio', async () => {
    const input = await prepared('wide.png', await solid(3000, 1000, { r: 200, g: 100, b: 50 }).png().toBuffer());
    expect([input.width, input.height]).toEqual([2048, 683]);
    expect(input.warnings).toEqual(['wide.png was scaled down from 3000 x 1000 to 2048 x 683 px.']);
  });

  it('honours a configured long side', async () => {
    const limits = { ...DEFAULT_INPUT_LIMITS, maxLongSide: 256, minRecommendedSide: 100 };
    const input = await prepared('tall.jpg', await solid(500, 1000, { r: 200, g: 100, b: 50 }).jpeg().toBuffer(), limits);
    expect([input.width, input.height]).toEqual([128, 256]);
  });

  it('never upscales', async () => {
    const input = await prepared('mid.jpg', await solid(700, 600, { r: 30, g: 60, b: 90 }).jpeg().toBuffer());
    expect([input.width, input.height]).toEqual([700, 600]);
    expect(input.warnings).toEqual([]);
  });

  it('keeps real transparency as PNG with the alpha values intact', async () => {
    const cutout = await solid(600, 600, { r: 0, g: 0, b: 0, alpha: 0 }, 4)
      .composite([{ input: { create: { width: 200, height: 200, channels: 4, background: '#ff0000' } }, left: 200, top: 200 }])
      .png()
      .toBuffer();
    const input = await prepared('cutout.png', cutout);
    expect(input.mime).toBe('image/png');
    expect(input.path.endsWith('.png')).toBe(true);
    expect((await sharp(input.path).metadata()).hasAlpha).toBe(true);
    expect((await pixelAt(input.path, 0, 0))[3]).toBe(0);
    expect(await pixelAt(input.path, 300, 300)).toEqual([255, 0, 0, 255]);
  });

  it('keeps alpha through a downscale', async () => {
    const half = await solid(3000, 3000, { r: 0, g: 128, b: 0, alpha: 0.5 }, 4).png().toBuffer();
    const input = await prepared('half.png', half);
    expect(input.mime).toBe('image/png');
    expect([input.width, input.height]).toEqual([2048, 2048]);
    expect((await pixelAt(input.path, 1000, 1000))[3]).toBeCloseTo(128, -1);
  });

  it('turns an all-opaque alpha channel into a JPEG', async () => {
    const opaqueRgba = await solid(600, 600, { r: 30, g: 60, b: 90, alpha: 1 }, 4).png().toBuffer();
    expect((await sharp(opaqueRgba).metadata()).hasAlpha).toBe(true);
    const input = await prepared('opaque-rgba.png', opaqueRgba);
    expect(input.mime).toBe('image/jpeg');
    expect(input.path.endsWith('.jpg')).toBe(true);
  });

  it('turns an opaque PNG into a JPEG', async () => {
    const input = await prepared('flat.png', await solid(600, 600, { r: 30, g: 60, b: 90 }).png().toBuffer());
    expect(input.mime).toBe('image/jpeg');
    const meta = await sharp(input.path).metadata();
    expect([meta.format, meta.channels, meta.space]).toEqual(['jpeg', 3, 'srgb']);
  });

  it('reads 16-bit PNGs', async () => {
    const deep = await solid(600, 600, { r: 0, g: 0, b: 255, alpha: 0.5 }, 4).toColourspace('rgb16').png().toBuffer();
    expect((await sharp(deep).metadata()).depth).toBe('ushort');
    const input = await prepared('deep.png', deep);
    expect(input.mime).toBe('image/png');
    expect((await sharp(input.path).metadata()).depth).toBe('uchar');
  });

  it('converts WebP, GIF (first frame, with a note) and AVIF', async () => {
    const webp = await prepared('a.webp', await solid(600, 600, { r: 200, g: 100, b: 50 }).webp().toBuffer());
    expect(webp.mime).toBe('image/jpeg');

    const gif = await prepared('anim.gif', await animatedGif());
    expect(gif.mime).toBe('image/jpeg');
    expect([gif.width, gif.height]).toEqual([30, 20]);
    expect(isRed(await pixelAt(gif.path, 15, 10))).toBe(true);
    expect(gif.warnings).toContain('anim.gif is animated; only the first frame is used.');

    const avif = await prepared('a.avif', await solid(600, 600, { r: 200, g: 100, b: 50 }).avif().toBuffer());
    expect(avif.mime).toBe('image/jpeg');
    expect((await sharp(avif.path).metadata()).format).toBe('jpeg');
  });
});

describe('prepareInput warnings and rejections', () => {
  it('warns, without blocking, about images under the recommended size', async () => {
    const input = await prepared('small.png', await noisy(300, 200).png().toBuffer());
    expect(input.warnings).toEqual([
      'small.png is only 300 x 200 px; results are better from images at least 512 px on each side.',
    ]);
    expect([input.width, input.height]).toEqual([300, 200]);
  });

  it('passes the check reasons through and writes nothing', async () => {
    const inputsDir = freshInputsDir();
    const pdf = await prepareInput(await writeFixture(srcDir, 'notes.pdf', pdfLike()), inputsDir);
    expect(pdf).toEqual({ ok: false, reason: 'notes.pdf is a PDF document, not an image. Use a PNG, JPEG, WebP, GIF or AVIF image.' });
    const bomb = await prepareInput(await writeFixture(srcDir, 'bomb.png', await pngClaiming(100_000, 100_000)), inputsDir);
    expect(bomb.ok).toBe(false);
    expect(!bomb.ok && bomb.reason).toMatch(/^bomb\.png is 100000 x 100000 pixels/);
    await expect(readdir(inputsDir)).rejects.toThrow();
  });

  it('rejects a truncated image that fails while decoding', async () => {
    const jpeg = await noisy(400, 300).jpeg().toBuffer();
    const result = await prepareInput(
      await writeFixture(srcDir, 'x.jpg', jpeg.subarray(0, Math.floor(jpeg.length / 2))),
      freshInputsDir(),
    );
    expect(result).toEqual({ ok: false, reason: 'x.jpg could not be read: the file is damaged or incomplete.' });
  });
});

describe('prepareInputBytes', () => {
  it('gives the same result as the file path for the same bytes', async () => {
    const inputsDir = freshInputsDir();
    const jpeg = await noisy(640, 480).jpeg().toBuffer();
    const fromFile = await prepareInput(await writeFixture(srcDir, 'same.jpg', jpeg), inputsDir);
    const fromBytes = await prepareInputBytes(new Uint8Array(jpeg), 'same.jpg', inputsDir);
    expect(fromBytes).toEqual(fromFile);
  });

  it('names the input by its base name only', async () => {
    const png = await solid(600, 600, { r: 30, g: 60, b: 90 }).png().toBuffer();
    const result = await prepareInputBytes(png, 'C:\\Users\\me\\Desktop\\drop.png', freshInputsDir());
    expect(result.ok && result.input.originalName).toBe('drop.png');
    const pasted = await prepareInputBytes(png, '', freshInputsDir());
    expect(pasted.ok && pasted.input.originalName).toBe('pasted image');
  });

  it('works on a view into a larger buffer', async () => {
    const png = await solid(600, 600, { r: 30, g: 60, b: 90 }).png().toBuffer();
    const padded = new Uint8Array(png.byteLength + 20);
    padded.set(png, 10);
    const result = await prepareInputBytes(padded.subarray(10, 10 + png.byteLength), 'view.png', freshInputsDir());
    expect(result.ok).toBe(true);
  });

  it('rejects with the same reasons, naming the file', async () => {
    expect(await prepareInputBytes(new Uint8Array(), 'clip.png', freshInputsDir())).toEqual({
      ok: false,
      reason: 'clip.png is empty (0 bytes): a download or copy that did not finish leaves such a file. Use the complete image.',
    });
    const limits = { ...DEFAULT_INPUT_LIMITS, maxFileBytes: 1024 };
    const big = await noisy(200, 200).png().toBuffer();
    const result = await prepareInputBytes(big, 'big.png', freshInputsDir(), limits);
    expect(!result.ok && result.reason).toMatch(/^big\.png is [\d.]+ MB; the limit is 0\.000977 MB\. Use a smaller file\.$/);
  });
});

describe('prepareInput with a damaged copy already stored', () => {
  it('replaces a same-named file whose content is wrong', async () => {
    const inputsDir = freshInputsDir();
    const jpeg = await solid(600, 600, { r: 1, g: 2, b: 3 }).jpeg().toBuffer();
    const first = await prepareInput(await writeFixture(srcDir, 'keep.jpg', jpeg), inputsDir);
    if (!first.ok) throw new Error(first.reason);
    const { writeFile } = await import('node:fs/promises');
    await writeFile(first.input.path, Buffer.alloc(first.input.bytes)); // same size, wrong bytes
    const again = await prepareInput(await writeFixture(srcDir, 'keep.jpg', jpeg), inputsDir);
    if (!again.ok) throw new Error(again.reason);
    expect(createHash('sha256').update(await readFile(again.input.path)).digest('hex')).toBe(first.input.sha256);
  });
});

describe('prepareInput when the inputs folder is removed under the app', () => {
  it('makes the folder again and stores the photo (the folder is otherwise made once per process)', async () => {
    const inputsDir = freshInputsDir();
    const first = await prepareInput(await writeFixture(srcDir, 'a.jpg', await solid(64, 64, { r: 9, g: 9, b: 9 }).jpeg().toBuffer()), inputsDir);
    if (!first.ok) throw new Error(first.reason);
    const { rm } = await import('node:fs/promises');
    await rm(inputsDir, { recursive: true, force: true });
    const second = await prepareInput(await writeFixture(srcDir, 'b.jpg', await solid(64, 64, { r: 200, g: 9, b: 9 }).jpeg().toBuffer()), inputsDir);
    if (!second.ok) throw new Error(second.reason);
    expect(createHash('sha256').update(await readFile(second.input.path)).digest('hex')).toBe(second.input.sha256);
    expect(await readdir(inputsDir)).toEqual([`${second.input.sha256}.jpg`]);
  });
});

describe('thread-pool hand-offs', () => {
  // Each hand-off wakes a pool thread, which on a busy machine may take the core from the engine's
  // thread (in the app, the one that answers the window and hands freed FAL slots on).
  it('a small photo is hashed and checked for an existing copy in place, not through the thread pool', async () => {
    const { createHook } = await import('node:async_hooks');
    const inputs = freshInputsDir();
    const first = await prepareInputBytes(new Uint8Array(await solid(64, 64, { r: 10, g: 20, b: 30 }).png().toBuffer()), 'first.png', inputs);
    expect(first.ok).toBe(true);
    const seen: string[] = [];
    const hook = createHook({ init: (_id, type) => void (type === 'HASHREQUEST' || type === 'FSREQPROMISE' ? seen.push(type) : undefined) });
    hook.enable();
    let result;
    try {
      result = await prepareInputBytes(new Uint8Array(await solid(64, 64, { r: 200, g: 20, b: 30 }).png().toBuffer()), 'second.png', inputs);
    } finally {
      hook.disable();
    }
    expect(result.ok).toBe(true);
    expect(seen).toEqual([]);
  });
});
