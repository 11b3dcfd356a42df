// Zip containers for 3MF (deflated OPC package) and USDZ (stored, every file's data 64-byte aligned).
import { promisify } from 'node:util';
import { crc32, deflateRaw } from 'node:zlib';
import { Zip, zipSync, type Zippable, type ZipInputFile } from 'fflate';

export interface ZipEntry {
  name: string;
  data: Uint8Array;
}

const MTIME = new Date('2020-01-01T00:00:00Z');
const DEFLATE = 8;
const deflateRawAsync = promisify(deflateRaw);

/**
 * A deflated zip (3MF and other OPC packages). fflate lays out the archive; the deflating is zlib's
 * (native, on libuv's thread pool), several times faster than fflate's JavaScript deflate on
 * megabytes of XML.
 */
export async function zipDeflated(entries: readonly ZipEntry[]): Promise<Uint8Array> {
  const compressed = await Promise.all(entries.map(({ data }) => deflateRawAsync(data, { level: 6 })));
  const chunks: Uint8Array[] = [];
  let failure: Error | null = null;
  const zip = new Zip((error, chunk) => {
    if (error) failure = error;
    else chunks.push(chunk);
  });
  entries.forEach(({ name, data }, i) => {
    const file: ZipInputFile = { filename: name, size: data.byteLength, crc: crc32(data), compression: DEFLATE, mtime: MTIME };
    zip.add(file);
    file.ondata!(null, new Uint8Array(compressed[i]!.buffer, compressed[i]!.byteOffset, compressed[i]!.byteLength), true);
  });
  zip.end();
  if (failure) throw failure;
  const out = new Uint8Array(chunks.reduce((sum, c) => sum + c.byteLength, 0));
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.byteLength;
  }
  return out;
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
