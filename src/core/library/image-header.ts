// Reads the pixel size and type of an embedded texture from its first bytes, without decoding it.
// Only the formats glTF allows for textures (PNG, JPEG, and via extensions WebP and KTX2).
// A header of a known type that readers refuse or would misread is "damaged", said in a sentence: the
// Khronos validator's own image rules (PNG chunk lengths, IHDR before the data; JPEG segment lengths,
// 1 or 3 colour channels), and a KTX2 whose level sizes are not its width and height (three's KTX2
// loader allocates what a Zstandard level declares). One pass over each header, nothing decoded.

export interface ImageHeader {
  mimeType: 'image/png' | 'image/jpeg' | 'image/webp' | 'image/ktx2';
  width: number;
  height: number;
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const KTX2_IDENTIFIER = [0xab, 0x4b, 0x54, 0x58, 0x20, 0x32, 0x30, 0xbb, 0x0d, 0x0a, 0x1a, 0x0a];

function startsWith(bytes: Uint8Array, prefix: readonly number[], at = 0): boolean {
  if (bytes.length < at + prefix.length) return false;
  return prefix.every((b, i) => bytes[at + i] === b);
}

function ascii(bytes: Uint8Array, at: number, length: number): string {
  return String.fromCharCode(...bytes.subarray(at, at + length));
}

function view(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** What is wrong with a header of a known type: readers refuse it, or would allocate what it claims. */
export interface ImageDamage {
  mimeType: ImageHeader['mimeType'];
  damage: string;
}

type Read = ImageHeader | ImageDamage;

const damaged = (mimeType: ImageHeader['mimeType'], damage: string): ImageDamage => ({ mimeType, damage });
/** A chunk or marker name as text a message can show (it comes from the file). */
const printable = (text: string) => text.replace(/[^\x20-\x7e]/g, '?');

/** PNG chunks whose length the validator holds to (IHDR and the colour-space chunks). */
const PNG_CHUNK_LENGTHS: Record<string, number> = { IHDR: 13, cHRM: 32, sRGB: 1, pHYs: 9, gAMA: 4 };

function png(bytes: Uint8Array): Read {
  // Chunks (length, type, data, CRC) up to the first IDAT: IHDR first, of its 13 bytes, then the image data.
  const dv = view(bytes);
  let size: { width: number; height: number } | null = null;
  let at = 8;
  while (at + 8 <= bytes.length) {
    const length = dv.getUint32(at);
    const type = ascii(bytes, at + 4, 4);
    if (at === 8 && type !== 'IHDR') return damaged('image/png', `its first chunk is "${printable(type)}", not IHDR`);
    const expected = PNG_CHUNK_LENGTHS[type];
    if (expected !== undefined && length !== expected) return damaged('image/png', `its ${type} chunk is ${length} bytes long, not ${expected}`);
    if (type === 'IHDR') {
      if (at + 8 + 13 > bytes.length) break;
      size = { width: dv.getUint32(at + 8), height: dv.getUint32(at + 12) };
    }
    if (type === 'IDAT') return { mimeType: 'image/png', ...size! };
    at += 12 + length;
  }
  return damaged('image/png', size ? 'it ends before its image data (IDAT)' : 'it ends inside its IHDR chunk');
}

/** Start-of-frame markers, as the validator reads them: SOF0..SOF15 but DHT, JPG and DAC, and DHP. */
const isFrameMarker = (marker: number) => (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) || marker === 0xde;

function jpeg(bytes: Uint8Array): Read {
  const dv = view(bytes);
  let at = 2;
  while (at + 4 <= bytes.length) {
    if (bytes[at] !== 0xff) return damaged('image/jpeg', `byte ${at} is not a marker where a segment should start`);
    const marker = bytes[at + 1]!;
    if (marker === 0xff) {
      at += 1; // fill byte
      continue;
    }
    // Markers without a length field.
    if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      at += 2;
      continue;
    }
    if (marker === 0xd9 || marker === 0xda) return damaged('image/jpeg', 'its image data starts before its frame header (SOF)');
    const length = dv.getUint16(at + 2);
    if (length < 2) return damaged('image/jpeg', `a marker segment declares ${length} bytes; a length counts its own 2`);
    if (isFrameMarker(marker)) {
      // Length, precision, height, width, channels: 8 bytes at least, all in the file.
      if (length < 8 || at + 2 + length > bytes.length) return damaged('image/jpeg', 'its frame header (SOF) is cut short');
      const channels = bytes[at + 9]!;
      if (channels !== 1 && channels !== 3) return damaged('image/jpeg', `it has ${channels} colour channels; glTF readers take 1 (grey) or 3 (colour)`);
      return { mimeType: 'image/jpeg', height: dv.getUint16(at + 5), width: dv.getUint16(at + 7) };
    }
    at += 2 + length;
  }
  return damaged('image/jpeg', 'it ends before its frame header (SOF)');
}

function webp(bytes: Uint8Array): ImageHeader | null {
  if (bytes.length < 30) return null;
  const dv = view(bytes);
  const chunk = ascii(bytes, 12, 4);
  if (chunk === 'VP8 ') {
    // Lossy: frame tag (3 bytes) and start code (3 bytes) precede 14-bit width and height.
    return { mimeType: 'image/webp', width: dv.getUint16(26, true) & 0x3fff, height: dv.getUint16(28, true) & 0x3fff };
  }
  if (chunk === 'VP8L') {
    // Lossless: signature byte 0x2f, then 14 bits width-1 and 14 bits height-1.
    const b0 = bytes[21]!;
    const b1 = bytes[22]!;
    const b2 = bytes[23]!;
    const b3 = bytes[24]!;
    return {
      mimeType: 'image/webp',
      width: 1 + (b0 | ((b1 & 0x3f) << 8)),
      height: 1 + ((b1 >> 6) | (b2 << 2) | ((b3 & 0x0f) << 10)),
    };
  }
  if (chunk === 'VP8X') {
    // Extended: 24-bit canvas width-1 and height-1.
    const u24 = (at: number) => bytes[at]! | (bytes[at + 1]! << 8) | (bytes[at + 2]! << 16);
    return { mimeType: 'image/webp', width: 1 + u24(24), height: 1 + u24(27) };
  }
  return null;
}

const KTX2_HEADER_BYTES = 80;
const KTX2_LEVEL_BYTES = 24;
const SUPERCOMPRESSION_ZSTD = 2;

/**
 * Bytes per block and the block's width and height for the formats a Zstandard level can be unpacked
 * to (three's KTX2 loader and the Basis transcoder): each level then unpacks to exactly its blocks.
 */
const KTX2_BLOCKS: Record<number, readonly [bytes: number, width: number, height: number]> = {
  0: [16, 4, 4], // undefined: Basis UASTC
  9: [1, 1, 1], 15: [1, 1, 1], // R8
  16: [2, 1, 1], 22: [2, 1, 1], // R8G8
  37: [4, 1, 1], 43: [4, 1, 1], // R8G8B8A8
  76: [2, 1, 1], 83: [4, 1, 1], 91: [8, 1, 1], 97: [8, 1, 1], // R16 float, R16G16 float, R16G16B16A16 unorm and float
  100: [4, 1, 1], 103: [8, 1, 1], 109: [16, 1, 1], // R32, R32G32, R32G32B32A32 float
  122: [4, 1, 1], 123: [4, 1, 1], // B10G11R11, E5B9G9R9
  131: [8, 4, 4], 132: [8, 4, 4], 133: [8, 4, 4], 134: [8, 4, 4], // BC1
  137: [16, 4, 4], 138: [16, 4, 4], 139: [8, 4, 4], 140: [8, 4, 4], 141: [16, 4, 4], 142: [16, 4, 4], 145: [16, 4, 4], 146: [16, 4, 4], // BC3, BC4, BC5, BC7
  147: [8, 4, 4], 148: [8, 4, 4], 149: [8, 4, 4], 150: [8, 4, 4], 151: [16, 4, 4], 152: [16, 4, 4], // ETC2
  153: [8, 4, 4], 154: [8, 4, 4], 155: [16, 4, 4], 156: [16, 4, 4], // EAC
  157: [16, 4, 4], 158: [16, 4, 4], 1000066000: [16, 4, 4], // ASTC 4x4
  165: [16, 6, 6], 166: [16, 6, 6], 1000066004: [16, 6, 6], // ASTC 6x6
};

function ktx2(bytes: Uint8Array): Read {
  if (bytes.length < KTX2_HEADER_BYTES) return damaged('image/ktx2', 'its header is cut short');
  const dv = view(bytes);
  const u32 = (at: number) => dv.getUint32(at, true);
  const u64 = (at: number) => Number(dv.getBigUint64(at, true));
  // Identifier (12), vkFormat, typeSize, pixelWidth, pixelHeight, pixelDepth, layerCount, faceCount, levelCount, supercompressionScheme.
  const header: ImageHeader = { mimeType: 'image/ktx2', width: u32(20), height: u32(24) };
  const [format, depth, layers, faces, levels, scheme] = [u32(12), u32(28), u32(32), u32(36), u32(40), u32(44)];
  // A glTF texture is one 2D image (KHR_texture_basisu); depth, layers and faces would multiply what it unpacks to.
  if (depth !== 0 || layers !== 0 || faces !== 1) return damaged('image/ktx2', `it is not one 2D image (depth ${depth}, ${layers} layers, ${faces} faces)`);
  const levelCount = Math.max(1, levels);
  if (KTX2_HEADER_BYTES + levelCount * KTX2_LEVEL_BYTES > bytes.length) return damaged('image/ktx2', `its index of levels (${levelCount}) runs past its end`);
  const blocks = KTX2_BLOCKS[format];
  if (scheme === SUPERCOMPRESSION_ZSTD && !blocks) return damaged('image/ktx2', `its format (vkFormat ${format}) is not one a Zstandard level can be unpacked to here`);
  for (let level = 0; level < levelCount; level++) {
    const at = KTX2_HEADER_BYTES + level * KTX2_LEVEL_BYTES;
    const [offset, length, unpacked] = [u64(at), u64(at + 8), u64(at + 16)];
    if (offset + length > bytes.length) return damaged('image/ktx2', `level ${level}'s data runs past its end`);
    if (scheme !== SUPERCOMPRESSION_ZSTD || !blocks) continue;
    const width = Math.max(1, header.width >>> level);
    const height = Math.max(1, header.height >>> level);
    const expected = blocks[0] * Math.ceil(width / blocks[1]) * Math.ceil(height / blocks[2]);
    if (unpacked !== expected) return damaged('image/ktx2', `level ${level} declares ${unpacked} bytes once unpacked; a ${width} x ${height} level of its format is ${expected}`);
  }
  return header;
}

/** The type of a PNG, JPEG, WebP or KTX2 image from its magic bytes alone, or null. */
export function imageMimeOf(bytes: Uint8Array): ImageHeader['mimeType'] | null {
  if (startsWith(bytes, PNG_SIGNATURE)) return 'image/png';
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (bytes.length >= 12 && ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 4) === 'WEBP') return 'image/webp';
  if (startsWith(bytes, KTX2_IDENTIFIER)) return 'image/ktx2';
  return null;
}

const READERS: Record<ImageHeader['mimeType'], (bytes: Uint8Array) => Read | null> = {
  'image/png': png,
  'image/jpeg': jpeg,
  'image/webp': webp,
  'image/ktx2': ktx2,
};

/** Size and type of a PNG, JPEG, WebP or KTX2 image, what is wrong with its header, or null when the bytes are none of these. */
export function inspectImageHeader(bytes: Uint8Array): ImageHeader | ImageDamage | null {
  const mime = imageMimeOf(bytes);
  return mime ? READERS[mime](bytes) : null;
}

export const isDamage = (read: ImageHeader | ImageDamage | null): read is ImageDamage => read !== null && 'damage' in read;

/** Size and type of a PNG, JPEG, WebP or KTX2 image, or null when the bytes are none of these (or its header is damaged). */
export function readImageHeader(bytes: Uint8Array): ImageHeader | null {
  const read = inspectImageHeader(bytes);
  return isDamage(read) ? null : read;
}
