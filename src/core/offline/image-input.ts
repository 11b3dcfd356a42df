// Reads the caller's image once with sharp and returns the two rasters the generator needs:
// the photo at texture size and a small RGBA grid for the outline and relief.
import sharp from 'sharp';
import type { RgbaImage } from './types';
import { errorMessage } from '../util/errors';

export class ReliefInputError extends Error {
  override name = 'ReliefInputError';
}

export interface DecodedInput {
  /** The photo, EXIF orientation applied, long side <= textureMaxSide (never enlarged). */
  photo: RgbaImage;
  /** The photo shrunk to gridLongSide samples along its long side. */
  grid: RgbaImage;
  /** Whether the file itself has an alpha channel (it may still be fully opaque). */
  fileHasAlpha: boolean;
}

export async function decodeInput(
  image: string | Uint8Array,
  textureMaxSide: number,
  gridLongSide: number,
): Promise<DecodedInput> {
  if (typeof image !== 'string' && !(image instanceof Uint8Array)) {
    throw new ReliefInputError('Relief (offline) needs a file path or the image bytes.');
  }
  if (typeof image !== 'string' && image.byteLength === 0) {
    throw new ReliefInputError('Relief (offline) could not read the image: the data is empty.');
  }
  const source = typeof image === 'string' ? image : Buffer.from(image.buffer, image.byteOffset, image.byteLength);
  try {
    const metadata = await sharp(source).metadata();
    // One decode: orientation, shrink to texture size, 8-bit sRGB RGBA.
    const { data, info } = await sharp(source)
      .rotate()
      .resize({ width: textureMaxSide, height: textureMaxSide, fit: 'inside', withoutEnlargement: true })
      .toColourspace('srgb')
      .ensureAlpha()
      .raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true });
    if (info.channels !== 4) throw new Error(`unexpected ${info.channels} channels after decoding`);
    const photo: RgbaImage = { width: info.width, height: info.height, data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) };

    const scale = Math.min(1, gridLongSide / Math.max(photo.width, photo.height));
    const gridWidth = Math.max(1, Math.round(photo.width * scale));
    const gridHeight = Math.max(1, Math.round(photo.height * scale));
    const small = await sharp(data, { raw: { width: info.width, height: info.height, channels: 4 } })
      .resize({ width: gridWidth, height: gridHeight, fit: 'fill' })
      .raw()
      .toBuffer();
    const grid: RgbaImage = { width: gridWidth, height: gridHeight, data: new Uint8Array(small.buffer, small.byteOffset, small.byteLength) };
    return { photo, grid, fileHasAlpha: metadata.hasAlpha === true };
  } catch (error) {
    const reason = errorMessage(error);
    throw new ReliefInputError(`Relief (offline) could not read the image: ${reason}`, { cause: error });
  }
}
