import sharp, { type Metadata } from 'sharp';
import { DEFAULT_INPUT_LIMITS, type InputLimits } from './limits';
import { SNIFF_HEAD_BYTES, sniffImageKind, type AcceptedKind } from './sniff';
import { describeFsError, fileSource, type ImageSource } from './source';

export type InputCheck =
  | { ok: true; kind: AcceptedKind; width: number; height: number; bytes: number }
  | { ok: false; reason: string };

/** What inspection learnt about an accepted input; internal to this folder. */
export interface InspectedImage {
  name: string;
  kind: AcceptedKind;
  /** As displayed, i.e. after EXIF orientation. */
  width: number;
  height: number;
  bytes: number;
  /** Frames in the file (animated GIF/WebP); only the first is used. */
  pages: number;
  /** Whether the file has an alpha channel (whether any pixel is see-through is known only once decoded). */
  hasAlpha: boolean;
  data: Buffer;
}

/**
 * Truncated files fail, small encoder quirks that many camera JPEGs carry don't
 * ('warning', sharp's default, would reject those).
 */
export const DECODE_FAIL_ON = 'truncated' as const;

export function damagedReason(name: string): string {
  return `${name} could not be read: the file is damaged or incomplete.`;
}

/**
 * Check an image file before anything is uploaded: size by stat, type by content, dimensions
 * from the header (pixel cap before any decoding), then one small decode to prove it's intact.
 */
export async function checkImageFile(path: string, limits: InputLimits = DEFAULT_INPUT_LIMITS): Promise<InputCheck> {
  const inspected = await inspectImage(fileSource(path), limits);
  if (!inspected.ok) return inspected;
  const { name, kind, width, height, bytes, data } = inspected.image;
  try {
    // Shrink-on-load keeps this cheap for JPEG/WebP while still reading every byte.
    await sharp(data, { limitInputPixels: limits.maxPixels, failOn: DECODE_FAIL_ON })
      .resize(256, 256, { fit: 'inside', withoutEnlargement: true })
      .raw()
      .toBuffer();
  } catch {
    return { ok: false, reason: damagedReason(name) };
  }
  return { ok: true, kind, width, height, bytes };
}

/** Everything short of decoding pixels; shared by checkImageFile and prepareInput. */
export async function inspectImage(
  source: ImageSource,
  limits: InputLimits,
): Promise<{ ok: true; image: InspectedImage } | { ok: false; reason: string }> {
  const { name } = source;
  const size = await source.size();
  if (!size.ok) return size;
  const sizeProblem = checkSize(name, size.bytes, limits);
  if (sizeProblem) return { ok: false, reason: sizeProblem };

  let data: Buffer;
  try {
    const sniffed = await sniffImageKind(await source.readHead(SNIFF_HEAD_BYTES), name);
    if (!sniffed.ok) return sniffed;
    data = await source.readAll();
    // The file may have changed since stat; judge what was actually read.
    const readProblem = checkSize(name, data.byteLength, limits);
    if (readProblem) return { ok: false, reason: readProblem };
    return await inspectHeader(name, sniffed.kind, data, limits);
  } catch (err) {
    return { ok: false, reason: describeFsError(name, err) };
  }
}

async function inspectHeader(
  name: string,
  kind: AcceptedKind,
  data: Buffer,
  limits: InputLimits,
): Promise<{ ok: true; image: InspectedImage } | { ok: false; reason: string }> {
  let meta: Metadata;
  try {
    // Header only: no limit here so that we, not sharp, word the pixel-cap message.
    meta = await sharp(data, { limitInputPixels: false }).metadata();
  } catch {
    // A header sharp calls corrupt may only claim more than its decoder reads (a PNG side of 2^31-1, a
    // JPEG one over 65,500): that is a photo to scale down, not a damaged one.
    const claimed = claimedSize(kind, data);
    if (claimed && claimed.width * claimed.height > limits.maxPixels) return { ok: false, reason: overPixelsReason(name, claimed.width, claimed.height, limits) };
    if (claimed && Math.max(claimed.width, claimed.height) > 65_500) {
      return { ok: false, reason: `${name} is ${claimed.width} x ${claimed.height} pixels, wider or taller than can be read. Scale it down and try again.` };
    }
    return { ok: false, reason: damagedReason(name) };
  }
  const width = meta.autoOrient?.width ?? meta.width;
  const height = meta.autoOrient?.height ?? meta.height;
  if (!width || !height) return { ok: false, reason: damagedReason(name) };
  if (width * height > limits.maxPixels) return { ok: false, reason: overPixelsReason(name, width, height, limits) };
  return { ok: true, image: { name, kind, width, height, bytes: data.byteLength, pages: meta.pages ?? 1, hasAlpha: meta.hasAlpha !== false, data } };
}

function overPixelsReason(name: string, width: number, height: number, limits: InputLimits): string {
  const [mp, maxMp] = [inUnits(width * height, MEGA), inUnits(limits.maxPixels, MEGA)];
  return `${name} is ${width} x ${height} pixels (${mp} MP); the limit is ${maxMp} MP. Scale it down and try again.`;
}

/** JPEG frame headers (SOF0-15 but DHT, JPG and DAC), which carry the image's size. */
const JPEG_FRAME_MARKERS: ReadonlySet<number> = new Set([0xc0, 0xc1, 0xc2, 0xc3, 0xc5, 0xc6, 0xc7, 0xc9, 0xca, 0xcb, 0xcd, 0xce, 0xcf]);

/** The size a PNG, JPEG or extended WebP header claims, read from the bytes themselves; null when not found. */
function claimedSize(kind: AcceptedKind, data: Buffer): { width: number; height: number } | null {
  if (kind === 'png' && data.length >= 24 && data.toString('latin1', 12, 16) === 'IHDR') {
    return { width: data.readUInt32BE(16), height: data.readUInt32BE(20) };
  }
  if (kind === 'webp' && data.length >= 30 && data.toString('latin1', 12, 16) === 'VP8X') {
    return { width: data.readUIntLE(24, 3) + 1, height: data.readUIntLE(27, 3) + 1 };
  }
  if (kind !== 'jpeg') return null;
  for (let i = 2; i + 9 <= data.length; ) {
    if (data[i] !== 0xff) return null;
    const marker = data[i + 1]!;
    if (marker === 0xff) i += 1;
    else if (JPEG_FRAME_MARKERS.has(marker)) return { width: data.readUInt16BE(i + 7), height: data.readUInt16BE(i + 5) };
    else if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd8)) i += 2;
    else i += 2 + data.readUInt16BE(i + 2);
  }
  return null;
}

const MEGA = 1_000_000;
/** File sizes in binary megabytes, as file managers on Windows show them. */
const MEBI = 1024 * 1024;

function checkSize(name: string, bytes: number, limits: InputLimits): string | undefined {
  if (bytes === 0) return `${name} is empty (0 bytes): a download or copy that did not finish leaves such a file. Use the complete image.`;
  if (bytes > limits.maxFileBytes) {
    const [mb, maxMb] = [inUnits(bytes, MEBI), inUnits(limits.maxFileBytes, MEBI)];
    const { tooLarge } = limits;
    return `${name} is ${mb} MB; the limit is ${maxMb} MB${tooLarge ? ` (${tooLarge.limitName})` : ''}. ${tooLarge?.advice ?? 'Use a smaller file.'}`;
  }
  return undefined;
}

/** 3600, 63.2, 0.5: three significant digits, so a value just over its limit doesn't look equal to it. */
function inUnits(value: number, unit: number): string {
  const x = value / unit;
  return String(x >= 100 ? Math.round(x) : Number(x.toPrecision(3)));
}
