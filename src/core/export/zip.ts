// Zip containers for 3MF (deflated OPC package) and USDZ (stored, every file's data 64-byte aligned).
import { zipSync, type Zippable } from 'fflate';

export interface ZipEntry {
  name: string;
  data: Uint8Array;
}

/** A deflated zip (3MF and other OPC packages). */
export function zipDeflated(entries: readonly ZipEntry[]): Uint8Array {
  const files: Zippable = {};
  for (const { name, data } of entries) files[name] = [data, { level: 6 }];
  return zipSync(files, { mtime: new Date('2020-01-01T00:00:00Z') });
}

const LOCAL_HEADER_BYTES = 30;
const EXTRA_HEADER_BYTES = 4;
/** An unregistered extra-field id used only as padding (readers skip unknown extra fields). */
const PADDING_FIELD = 0x1986;

/**
 * USDZ: an uncompressed zip whose file data each start at a multiple of 64 bytes, so USD can map them
 * straight from the archive. The first entry must be the scene (.usda/.usdc).
 */
export function zipUsdz(entries: readonly ZipEntry[]): Uint8Array {
  const files: Zippable = {};
  let offset = 0;
  for (const { name, data } of entries) {
    const nameBytes = new TextEncoder().encode(name).length;
    const unpadded = offset + LOCAL_HEADER_BYTES + nameBytes + EXTRA_HEADER_BYTES;
    const pad = (64 - (unpadded % 64)) % 64;
    files[name] = [data, { level: 0, extra: { [PADDING_FIELD]: new Uint8Array(pad) } }];
    offset = unpadded + pad + data.length;
  }
  return zipSync(files, { level: 0, mtime: new Date('2020-01-01T00:00:00Z') });
}
