import { open, readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';

/**
 * Where an input image's bytes come from: a file on disk or bytes pasted/dropped in the UI.
 * One shape for both so checking and preparing run the same code either way.
 */
export interface ImageSource {
  /** Shown in every message, e.g. "photo.jpg". */
  readonly name: string;
  /** Size in bytes without reading the content, or why the source can't be used at all. */
  size(): Promise<{ ok: true; bytes: number } | { ok: false; reason: string }>;
  readHead(maxBytes: number): Promise<Uint8Array>;
  readAll(): Promise<Buffer>;
}

export function fileSource(path: string): ImageSource {
  const name = basename(path) || path;
  return {
    name,
    async size() {
      try {
        const info = await stat(path);
        if (info.isDirectory()) return { ok: false, reason: `${name} is a folder, not an image file.` };
        if (!info.isFile()) return { ok: false, reason: `${name} is not a regular file (a device, pipe or socket). Choose the image file itself.` };
        return { ok: true, bytes: info.size };
      } catch (err) {
        return { ok: false, reason: describeFsError(name, err) };
      }
    },
    async readHead(maxBytes) {
      const handle = await open(path, 'r');
      try {
        const buffer = Buffer.alloc(maxBytes);
        const { bytesRead } = await handle.read(buffer, 0, maxBytes, 0);
        return buffer.subarray(0, bytesRead);
      } finally {
        await handle.close();
      }
    },
    readAll: () => readFile(path),
  };
}

export function bytesSource(bytes: Uint8Array, name: string): ImageSource {
  // Names from a browser may carry a path (or nothing at all for a pasted image).
  const safeName = basename(name.replace(/\\/g, '/')).trim() || 'pasted image';
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return {
    name: safeName,
    size: async () => ({ ok: true, bytes: buffer.byteLength }),
    readHead: async (maxBytes) => buffer.subarray(0, maxBytes),
    readAll: async () => buffer,
  };
}

/** Plain words for the filesystem errors a user can actually run into. */
export function describeFsError(name: string, err: unknown): string {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ENOENT':
    case 'ENOTDIR':
      return `${name} was not found. It may have been moved or deleted.`;
    case 'EACCES':
    case 'EPERM':
      return `${name} could not be opened: permission denied. Allow your user to read it (or copy it to a folder of yours) and try again.`;
    case 'EISDIR':
      return `${name} is a folder, not an image file.`;
    case 'EBUSY':
      return `${name} could not be opened: it is in use by another program. Close that program and try again.`;
    default:
      return `${name} could not be opened${code ? ` (${code})` : ''}. Copy it to another folder and try again.`;
  }
}
