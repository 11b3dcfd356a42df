import { webcrypto } from 'node:crypto';
import { lstatSync, rmdirSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp, { type JpegOptions, type Sharp } from 'sharp';
import { DECODE_FAIL_ON, damagedReason, inspectImage, type InspectedImage } from './check';
import { DEFAULT_INPUT_LIMITS, type InputLimits } from './limits';
import { bytesSource, fileSource, type ImageSource } from './source';
import { sha256Hex, writeFileAtomic } from '../library/files';
import { inFolder } from '../util/quick-fs';

export interface PreparedInput {
  /** `<inputsDir>/<sha256>.<ext>`. */
  path: string;
  /** Of the prepared bytes, so the same image prepared the same way dedupes. */
  sha256: string;
  /**
   * Of the original bytes (the file as read, the bytes as dropped): the same photo is known again even
   * when its prepared bytes differ (another long side, sharp/libvips version or CPU).
   */
  sourceSha256: string;
  mime: 'image/png' | 'image/jpeg' | 'image/webp';
  width: number;
  height: number;
  bytes: number;
  originalName: string;
  /** Everything worth saying about the photo, in the job's waiting line (scaled down included). */
  warnings: string[];
  /** The warnings that may make a poorer model (too small, animated): said where the photo is added. */
  concerns: string[];
}

export type PrepareResult = { ok: true; input: PreparedInput } | { ok: false; reason: string };

const JPEG_QUALITY = 92;

/**
 * How a photo without see-through pixels is encoded. 'fast' (libjpeg-turbo, Huffman tables optimised):
 * one pass, no raw copy - a 12 MP photo in ~0.1 s here. 'mozjpeg' (trellis quantisation, ~20 % smaller)
 * took 0.3-1.4 s of CPU per photo before it could be sent, for an upload a few hundred KB smaller.
 * A photo is known again (already made, on its way, uncertain) by the sha256 of these bytes, so a data
 * folder with jobs prepared the old way keeps 'mozjpeg' (db/input-encoding.ts): a photo dropped again
 * there must still find its earlier job, not be sent (and paid) a second time.
 */
export type JpegEncoding = 'fast' | 'mozjpeg';

/** Check, orient, strip metadata, downscale and re-encode an image file into the inputs folder. */
export function prepareInput(
  srcPath: string,
  inputsDir: string,
  limits: InputLimits = DEFAULT_INPUT_LIMITS,
  jpeg: JpegEncoding = 'fast',
): Promise<PrepareResult> {
  return prepareFromSource(fileSource(srcPath), inputsDir, limits, jpeg);
}

/** The same for bytes pasted or dropped in the UI; `name` is what the user sees in messages. */
export function prepareInputBytes(
  bytes: Uint8Array,
  name: string,
  inputsDir: string,
  limits: InputLimits = DEFAULT_INPUT_LIMITS,
  jpeg: JpegEncoding = 'fast',
): Promise<PrepareResult> {
  return prepareFromSource(bytesSource(bytes, name), inputsDir, limits, jpeg);
}

async function prepareFromSource(source: ImageSource, inputsDir: string, limits: InputLimits, jpeg: JpegEncoding): Promise<PrepareResult> {
  const inspected = await inspectImage(source, limits);
  if (!inspected.ok) return inspected;
  const image = inspected.image;

  // Hashed off the main thread (WebCrypto runs on the thread pool) while the image is encoded.
  const sourceSha256 = sha256HexOffThread(image.data);
  let encoded: Encoded;
  try {
    // No alpha channel (every JPEG, most photos): nothing can be see-through, so the JPEG is made in
    // the decode's own pass. Otherwise the pixels are looked at first (PNG only if some are see-through).
    encoded = jpeg === 'fast' && !image.hasAlpha ? await encodeJpegDirectly(image, limits) : await encode(await decodeForUpload(image, limits), jpeg);
  } catch {
    return { ok: false, reason: damagedReason(image.name) };
  }

  const sha256 = sha256Hex(encoded.data);
  const path = join(inputsDir, `${sha256}.${encoded.ext}`);
  try {
    // Content-addressed: an intact file under this name already holds exactly these bytes. The folder
    // is made once per process (inFolder; again should it vanish), not checked for every photo.
    if (!(await holdsContent(path, encoded.data.byteLength, sha256))) await inFolder(inputsDir, () => writeCopy(path, encoded.data));
  } catch (err) {
    return { ok: false, reason: `${image.name} could not be saved to the app's data folder (${(err as Error).message}).` };
  }

  return {
    ok: true,
    input: {
      path,
      sha256,
      sourceSha256: await sourceSha256,
      mime: encoded.mime,
      width: encoded.width,
      height: encoded.height,
      bytes: encoded.data.byteLength,
      originalName: image.name,
      ...warningsFor(image, encoded, limits),
    },
  };
}

interface Pixels {
  data: Buffer;
  width: number;
  height: number;
  channels: 3 | 4;
}

/**
 * One decode: EXIF orientation applied, long side capped (never enlarged), sRGB 8-bit.
 * Raw output carries no metadata at all, so EXIF/GPS/XMP/ICC/text chunks cannot survive.
 */
async function decodeForUpload(image: InspectedImage, limits: InputLimits): Promise<Pixels> {
  const { data, info } = await decoded(image, limits).raw({ depth: 'uchar' }).toBuffer({ resolveWithObject: true });
  if (info.channels !== 3 && info.channels !== 4) throw new Error(`unexpected ${info.channels} channels`);
  return { data, width: info.width, height: info.height, channels: info.channels };
}

/** The decode every upload starts from: EXIF orientation applied, long side capped (never enlarged), sRGB. */
function decoded(image: InspectedImage, limits: InputLimits): Sharp {
  return sharp(image.data, { limitInputPixels: limits.maxPixels, failOn: DECODE_FAIL_ON })
    .autoOrient()
    .resize(limits.maxLongSide, limits.maxLongSide, { fit: 'inside', withoutEnlargement: true })
    .toColourspace('srgb');
}

/** JPEG options per encoding. Default 4:2:0 chroma: 4:4:4 costs ~70% more bytes, and the 3D services downscale well below 2048 px before the difference could matter. */
function jpegOptions(jpeg: JpegEncoding): JpegOptions {
  return jpeg === 'fast' ? { quality: JPEG_QUALITY, optimiseCoding: true } : { quality: JPEG_QUALITY, mozjpeg: true };
}

/** Decode and JPEG in one pass (an image with no alpha channel). Written without metadata (sharp keeps none unless asked). */
async function encodeJpegDirectly(image: InspectedImage, limits: InputLimits): Promise<Encoded> {
  const { data, info } = await decoded(image, limits).jpeg(jpegOptions('fast')).toBuffer({ resolveWithObject: true });
  return { data, ext: 'jpg', mime: 'image/jpeg', width: info.width, height: info.height };
}

interface Encoded {
  data: Buffer;
  ext: 'png' | 'jpg';
  mime: 'image/png' | 'image/jpeg';
  width: number;
  height: number;
}

/** PNG only when some pixel is actually see-through; an all-opaque alpha is dropped for a compact JPEG. */
async function encode(pixels: Pixels, jpeg: JpegEncoding): Promise<Encoded> {
  const { width, height, channels } = pixels;
  const raw = sharp(pixels.data, { raw: { width, height, channels } });
  if (channels === 4 && hasTransparentPixel(pixels.data)) {
    // Level 6 with adaptive filtering: within a few % of level 9's size at a fraction of its time
    // (a noisy 2048 px cut-out takes ~1.5 s instead of ~7 s).
    const data = await raw.png({ compressionLevel: 6, adaptiveFiltering: true }).toBuffer();
    return { data, ext: 'png', mime: 'image/png', width, height };
  }
  const data = await raw.removeAlpha().jpeg(jpegOptions(jpeg)).toBuffer();
  return { data, ext: 'jpg', mime: 'image/jpeg', width, height };
}

function hasTransparentPixel(rgba: Buffer): boolean {
  for (let i = 3; i < rgba.length; i += 4) if (rgba[i] !== 255) return true;
  return false;
}

function warningsFor(image: InspectedImage, encoded: Encoded, limits: InputLimits): { warnings: string[]; concerns: string[] } {
  const concerns: string[] = [];
  const { name, width, height } = image;
  const better = `results are better from images at least ${limits.minRecommendedSide} px on each side.`;
  // What FAL receives counts: a long, narrow photo (a panorama) scaled to the upload's long side can
  // end under the recommended size on its short side though the file itself is large.
  const narrowWhenSent = Math.min(encoded.width, encoded.height) < limits.minRecommendedSide;
  if (Math.min(width, height) < limits.minRecommendedSide) {
    concerns.push(`${name} is only ${width} x ${height} px; ${better}`);
  } else if (narrowWhenSent) {
    concerns.push(`${name} (${width} x ${height} px) is sent at ${encoded.width} x ${encoded.height} px, scaled to ${limits.maxLongSide} px on its long side; ${better}`);
  }
  if (image.pages > 1) concerns.push(`${name} is animated; only the first frame is used.`);
  // Scaling down to the upload size is what every large photo gets: a note, not a concern.
  const scaledNote = (encoded.width !== width || encoded.height !== height) && !(narrowWhenSent && Math.min(width, height) >= limits.minRecommendedSide);
  const scaled = scaledNote ? [`${name} was scaled down from ${width} x ${height} to ${encoded.width} x ${encoded.height} px.`] : [];
  return { warnings: [...concerns.slice(0, 1), ...scaled, ...concerns.slice(1)], concerns };
}

/**
 * Photos up to this size are hashed in place (~0.3 ms at most): a hand-off to the thread pool and back
 * costs more than that for a small image (a screenshot, a sketch), and it wakes a pool thread that may
 * take the core from the engine's thread.
 */
const HASH_IN_PLACE_MAX_BYTES = 128 * 1024;

/** sha256 (hex) computed on the thread pool, not the thread that serves the window (unless small); never rejects. */
function sha256HexOffThread(bytes: Uint8Array): Promise<string> {
  if (bytes.byteLength <= HASH_IN_PLACE_MAX_BYTES) return Promise.resolve(sha256Hex(bytes));
  return webcrypto.subtle.digest('SHA-256', bytes).then(
    (digest) => Buffer.from(digest).toString('hex'),
    () => sha256Hex(bytes),
  );
}

async function holdsContent(path: string, bytes: number, sha256: string): Promise<boolean> {
  try {
    // In place: a stat is a quick metadata call (util/quick-fs.ts); nearly always the file is new.
    const info = statSync(path);
    return info.isFile() && info.size === bytes && sha256Hex(await readFile(path)) === sha256;
  } catch {
    return false;
  }
}

/**
 * Writes the prepared copy. A folder where it goes (made by hand, a sync tool) cannot be replaced by
 * the rename: an empty one is removed and the copy written; one with files in it is left, with what
 * to do, rather than the disk's EISDIR.
 */
async function writeCopy(path: string, data: Uint8Array): Promise<void> {
  try {
    await writeFileAtomic(path, data);
  } catch (error) {
    if (!lstatSync(path, { throwIfNoEntry: false })?.isDirectory()) throw error;
    try {
      rmdirSync(path);
    } catch {
      throw new Error(`a folder is in the way at ${path}: move or remove it, then add the photo again`);
    }
    await writeFileAtomic(path, data);
  }
}
