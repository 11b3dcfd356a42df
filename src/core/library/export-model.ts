// Export a library model to a user-chosen path: GLB as an atomic copy, other formats converted
// locally (OBJ writes its .mtl and textures beside it).
import { readFile } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';
import { AppError } from '../../shared/result';
import type { ExportFormat } from '../services-types';
import { convertGlb } from './convert';
import { ExportError, exportModelFile } from './export';
import { writeFileAtomic } from './files';

export async function exportModel(srcPath: string, destPath: string, format: ExportFormat): Promise<string[]> {
  try {
    if (format === 'glb') {
      await exportModelFile(srcPath, destPath);
      return [destPath];
    }
    const { files } = await convertGlb(await readFile(srcPath), format, { baseName: basename(destPath, extname(destPath)) });
    const written: string[] = [];
    for (const file of files) {
      const target = join(dirname(destPath), file.name);
      await writeFileAtomic(target, file.data);
      written.push(target);
    }
    return written;
  } catch (error) {
    if (error instanceof ExportError) throw new AppError('io_error', error.message);
    throw new AppError('io_error', `Export failed: ${(error as Error).message}`);
  }
}
