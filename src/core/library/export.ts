// Exporting a library model to a place the user picked (desktop shell's save dialog, CLI `export`).
import { copyFile, constants, open, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { createViaTemp, replaceViaTemp, unlinkQuietly } from './files';

export { convertGlb, type ConvertFormat, type ConvertedFile, type ConvertOptions } from './convert';

export type ExportErrorCode = 'dest_dir_missing' | 'source_missing';

export class ExportError extends Error {
  override readonly name = 'ExportError';
  constructor(
    readonly code: ExportErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Copies `srcPath` to `destPath` atomically (copy to a temp file beside the destination, fsync,
 * rename), so an existing file at `destPath` is replaced whole or not at all. The destination
 * folder must already exist: creating folders is the caller's decision, not a side effect.
 * `keepExisting`: a file at `destPath` is never replaced (false, nothing written; see writeFileNew).
 * `newTemp`: `destPath` is a new temp name of the caller's (journaled: export/set-journal.ts), written
 * directly - not through a second temp name, which a cleanup after a kill would not know.
 */
export async function exportModelFile(srcPath: string, destPath: string, { keepExisting = false, newTemp = false } = {}): Promise<boolean> {
  const destDir = dirname(destPath);
  const dirInfo = await stat(destDir).catch(() => null);
  if (!dirInfo?.isDirectory()) {
    throw new ExportError('dest_dir_missing', `Cannot export: the folder "${destDir}" does not exist`);
  }
  const srcInfo = await stat(srcPath).catch(() => null);
  if (!srcInfo?.isFile()) {
    throw new ExportError('source_missing', `Cannot export: the model file "${srcPath}" is missing`);
  }

  const fill = async (temp: string) => {
    await copyFile(srcPath, temp, constants.COPYFILE_EXCL);
    const handle = await open(temp, 'r+');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  };
  if (newTemp) {
    try {
      await fill(destPath);
    } catch (error) {
      // EEXIST: that name is not this export's (never made here), so it is not removed.
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') await unlinkQuietly(destPath);
      throw error;
    }
    return true;
  }
  if (keepExisting) return createViaTemp(destPath, fill);
  await replaceViaTemp(destPath, fill);
  return true;
}
