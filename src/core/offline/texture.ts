// Encodes the photo for the front material and picks a plain colour for the back and walls.
import sharp from 'sharp';
import type { EncodedTexture } from './glb';
import type { CellMask, RgbaImage } from './types';

const JPEG_QUALITY = 88;

/** PNG keeps the alpha when the outline came from it; otherwise a JPEG is far smaller. */
export async function encodePhoto(photo: RgbaImage, keepAlpha: boolean): Promise<EncodedTexture> {
  const raw = sharp(photo.data, { raw: { width: photo.width, height: photo.height, channels: 4 } });
  if (keepAlpha) {
    const bytes = await raw.png({ compressionLevel: 6 }).toBuffer();
    return { bytes: new Uint8Array(bytes), mimeType: 'image/png' };
  }
  const bytes = await raw.removeAlpha().jpeg({ quality: JPEG_QUALITY, mozjpeg: false }).toBuffer();
  return { bytes: new Uint8Array(bytes), mimeType: 'image/jpeg' };
}

/** Mean colour of the subject, in linear RGB as glTF's baseColorFactor wants, darkened a little so the back reads as a back. */
export function subjectColour(grid: RgbaImage, mask: CellMask): [number, number, number] {
  const sum = [0, 0, 0];
  let count = 0;
  for (let i = 0; i < mask.cells.length; i++) {
    if (!mask.cells[i]) continue;
    for (let c = 0; c < 3; c++) sum[c]! += srgbToLinear(grid.data[i * 4 + c]! / 255);
    count++;
  }
  const channel = (c: number) => (count > 0 ? Math.min(1, (sum[c]! / count) * 0.8) : 0.5);
  return [round(channel(0)), round(channel(1)), round(channel(2))];
}

function srgbToLinear(value: number): number {
  return value <= 0.04045 ? value / 12.92 : ((value + 0.055) / 1.055) ** 2.4;
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
