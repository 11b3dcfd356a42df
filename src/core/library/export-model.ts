// Export a library model to a user-chosen path: GLB as an atomic copy, other formats converted
// locally (OBJ writes its .mtl and textures beside it).
import { readFile } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';
import { AppError } from '../../shared/result';
import type { ExportFormat } from '../services-types';
import { convertGlb } from './convert';
import { ExportError, exportModelFile } from './export';
import { writeFileAtomic } from './files';
import { checkModelFile, ModelFileError, readModelFile, type StoredModel } from './model-file';

/** `stored`: the library model, whose file is checked against the hash it was stored under first. */
export async function exportModel(srcPath: string, destPath: string, format: ExportFormat, stored?: StoredModel): Promise<string[]> {
  try {
    if (format === 'glb') {
      if (stored) await checkModelFile(stored, srcPath);
      await exportModelFile(srcPath, destPath);
      return [destPath];
    }
    const bytes = stored ? await readModelFile(stored, srcPath) : await readFile(srcPath);
    const { files } = await convertGlb(bytes, format, { baseName: basename(destPath, extname(destPath)) });
    const written: string[] = [];
    for (const file of files) {
      const target = join(dirname(destPath), file.name);
      await writeFileAtomic(target, file.data);
      written.push(target);
    }
    return written;
  } catch (error) {
    if (error instanceof ExportError || error instanceof ModelFileError) throw new AppError('io_error', error.message);
    throw new AppError('io_error', `Export failed: ${(error as Error).message}`);
  }
}
