// Image fixtures made at test time with sharp (no binary files in the repo).
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import sharp, { type Sharp } from 'sharp';

export async function makeTempDir(prefix: string): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), `i2m-${prefix}-`));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

export async function writeFixture(dir: string, name: string, data: Uint8Array | string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, data);
  return path;
}

type Rgba = { r: number; g: number; b: number; alpha?: number };

export function solid(width: number, height: number, colour: Rgba, channels: 3 | 4 = 3): Sharp {
  return sharp({ create: { width, height, channels, background: { alpha: 1, ...colour } } });
}

/** Noise so encoders can't squeeze it to nothing and truncation really cuts pixel data. */
export function noisy(width: number, height: number): Sharp {
  return sharp({ create: { width, height, channels: 3, background: '#000', noise: { type: 'gaussian', mean: 128, sigma: 40 } } });
}

/**
 * A stored-landscape JPEG (80 x 40, red block top-left on blue) tagged EXIF orientation 6, so
 * it displays as 40 x 80 with the red block top-right. Also carries a camera make and GPS position.
 */
export function orientedJpegWithGps(): Promise<Buffer> {
  return solid(80, 40, { r: 0, g: 0, b: 255 })
    .composite([{ input: { create: { width: 20, height: 20, channels: 3, background: '#ff0000' } }, left: 0, top: 0 }])
    .jpeg({ quality: 95 })
    .withMetadata({ orientation: 6 })
    .withExif({
      IFD0: { Make: 'SecretCam', Artist: 'Jane Doe' },
      IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '51/1 30/1 0/1', GPSLongitudeRef: 'W', GPSLongitude: '0/1 7/1 0/1' },
    })
    .withXmp('<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/></x:xmpmeta>')
    .toBuffer();
}

/** A valid 1 x 1 PNG whose IHDR (with a correct CRC) claims `width` x `height` pixels. */
export async function pngClaiming(width: number, height: number): Promise<Buffer> {
  const png = Buffer.from(await solid(1, 1, { r: 255, g: 0, b: 0 }).png().toBuffer());
  // Signature (8) + IHDR length (4) + "IHDR" (4), then width and height; CRC covers type + data (17 bytes).
  png.writeUInt32BE(width, 16);
  png.writeUInt32BE(height, 20);
  png.writeUInt32BE(crc32(png.subarray(12, 29)) >>> 0, 29);
  return png;
}

/** The start of an ISO-BMFF file with brand "heic": what an iPhone photo begins with. */
export function heicLike(): Buffer {
  const ftyp = Buffer.from('000000186674797068656963000000006d69663168656963', 'hex');
  return Buffer.concat([ftyp, Buffer.alloc(200)]);
}

export function pdfLike(): Buffer {
  return Buffer.from('%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< >>\n%%EOF\n', 'latin1');
}

export async function animatedGif(): Promise<Buffer> {
  const red = await solid(30, 20, { r: 255, g: 0, b: 0 }).png().toBuffer();
  const blue = await solid(30, 20, { r: 0, g: 0, b: 255 }).png().toBuffer();
  return sharp([red, blue], { join: { animated: true } }).gif().toBuffer();
}

export async function pixelAt(path: string, x: number, y: number): Promise<number[]> {
  const { data, info } = await sharp(path).raw().toBuffer({ resolveWithObject: true });
  const at = (y * info.width + x) * info.channels;
  return [...data.subarray(at, at + info.channels)];
}
