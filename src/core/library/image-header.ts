// Reads the pixel size and type of an embedded texture from its first bytes, without decoding it.
// Only the formats glTF allows for textures (PNG, JPEG, and via extensions WebP and KTX2).

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

function png(bytes: Uint8Array): ImageHeader | null {
  // Signature, then the IHDR chunk (length, "IHDR", width, height) always comes first.
  if (bytes.length < 24 || ascii(bytes, 12, 4) !== 'IHDR') return null;
  const dv = view(bytes);
  return { mimeType: 'image/png', width: dv.getUint32(16), height: dv.getUint32(20) };
}

function jpeg(bytes: Uint8Array): ImageHeader | null {
  const dv = view(bytes);
  let at = 2;
  while (at + 4 <= bytes.length) {
    if (bytes[at] !== 0xff) return null;
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
    const length = dv.getUint16(at + 2);
    // SOF0..SOF15 carry the frame size; C4 (DHT), C8 (JPG) and CC (DAC) share the range but do not.
    const isFrame = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
    if (isFrame) {
      if (at + 9 > bytes.length) return null;
      return { mimeType: 'image/jpeg', height: dv.getUint16(at + 5), width: dv.getUint16(at + 7) };
    }
    if (marker === 0xd9 || marker === 0xda) return null; // end of image / start of scan before a frame
    at += 2 + length;
  }
  return null;
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

function ktx2(bytes: Uint8Array): ImageHeader | null {
  if (bytes.length < 28) return null;
  const dv = view(bytes);
  // Identifier (12), vkFormat (4), typeSize (4), then pixelWidth and pixelHeight.
  return { mimeType: 'image/ktx2', width: dv.getUint32(20, true), height: dv.getUint32(24, true) };
}

/** The type of a PNG, JPEG, WebP or KTX2 image from its magic bytes alone, or null. */
export function imageMimeOf(bytes: Uint8Array): ImageHeader['mimeType'] | null {
  if (startsWith(bytes, PNG_SIGNATURE)) return 'image/png';
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (bytes.length >= 12 && ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 4) === 'WEBP') return 'image/webp';
  if (startsWith(bytes, KTX2_IDENTIFIER)) return 'image/ktx2';
  return null;
}

const READERS: Record<ImageHeader['mimeType'], (bytes: Uint8Array) => ImageHeader | null> = {
  'image/png': png,
  'image/jpeg': jpeg,
  'image/webp': webp,
  'image/ktx2': ktx2,
};

/** Size and type of a PNG, JPEG, WebP or KTX2 image, or null when the bytes are none of these. */
export function readImageHeader(bytes: Uint8Array): ImageHeader | null {
  const mime = imageMimeOf(bytes);
  return mime ? READERS[mime](bytes) : null;
}
