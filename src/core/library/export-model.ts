// Export a library model to a user-chosen path: GLB as an atomic copy, other formats converted
// locally (OBJ writes its .mtl and textures beside it).
import { existsSync } from 'node:fs';
import { open, readFile } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';
import { AppError } from '../../shared/result';
import { lowLevelExportError } from '../util/low-level-error';
import type { ExportFormat } from '../services-types';
import { convertGlb } from './convert';
import { ExportError, exportModelFile } from './export';
import { fsyncDirBestEffort, renameDurably, tempPathFor, unlinkQuietly, writeFilesAtomic } from './files';
import { journalTempFile, journalTempFiles, type SetJournal } from '../export/set-journal';
import { NoFreeNameError } from './free-names';
import { restemObjFiles } from './obj';
import { checkModelFile, ModelFileError, readModelFile, type StoredModel } from './model-file';

/**
 * `stored`: the library model, whose file is checked against the hash it was stored under first.
 * `newTemp` (GLB only): `destPath` is a new temp name of the caller's, written directly (exportModelFile).
 */
export async function exportModel(srcPath: string, destPath: string, format: ExportFormat, stored?: StoredModel, { newTemp = false } = {}): Promise<string[]> {
  try {
    if (format === 'glb') {
      if (stored) await checkModelFile(stored, srcPath);
      if (newTemp) {
        await exportModelFile(srcPath, destPath, { newTemp });
        return [destPath];
      }
      // Replaced whole through a journaled temp file: a kill while copying leaves nothing the next
      // export into that folder does not remove.
      const temp = tempPathFor(destPath);
      const journal = await journalTempFile(dirname(destPath), temp);
      try {
        await exportModelFile(srcPath, temp, { newTemp: true });
        await renameDurably(temp, destPath);
      } finally {
        await unlinkQuietly(temp);
        await journal.remove();
      }
      await fsyncDirBestEffort(dirname(destPath));
      return [destPath];
    }
    const bytes = stored ? await readModelFile(stored, srcPath) : await readFile(srcPath);
    const converted = (await convertGlb(bytes, format, { baseName: basename(destPath, extname(destPath)) })).files;
    // The converter names files safely (Garden_gnome.obj); the main file is written under the name the
    // user chose in the save dialog, which is the path the app then reports.
    const main = converted.find((f) => f.name.endsWith(`.${format}`));
    const stem = main ? main.name.slice(0, -`.${format}`.length) : '';
    const withCompanions = format === 'obj' && main ? await ownCompanions(converted, dirname(destPath), stem, await mtllibOf(destPath)) : converted;
    const files = withCompanions.map((f) => (main && f.name === main.name ? { ...f, name: basename(destPath) } : f));
    // All or nothing: a failure on the last texture leaves no OBJ naming a missing file.
    const written = files.map((file) => ({ path: join(dirname(destPath), file.name), data: file.data }));
    let journal: SetJournal | null = null;
    try {
      await writeFilesAtomic(written, async (temps) => void (journal = await journalTempFiles(dirname(destPath), temps)));
    } finally {
      await (journal as SetJournal | null)?.remove();
    }
    return written.map(({ path }) => path);
  } catch (error) {
    if (error instanceof ExportError || error instanceof ModelFileError) throw new AppError('io_error', error.message);
    throw lowLevelExportError(error) ?? new AppError('io_error', `Export failed: ${(error as Error).message}`);
  }
}

type NamedFile = { name: string; data: Uint8Array };

const COMPANION_TRIES = 1000;

/**
 * An OBJ's MTL and textures under names no other export in the folder uses: their names drop spaces and
 * # (obj.ts), so "Garden gnome.obj" and "Garden_gnome.obj" would share Garden_gnome.mtl, and the save
 * dialog - asked only about the OBJ - would let one export overwrite the other's. Taken names get a
 * -2, -3... (named in the OBJ), 1,000 at most (each try rewrites the OBJ's text); an OBJ written over keeps
 * the companions it names.
 */
async function ownCompanions<T extends NamedFile>(files: T[], dir: string, stem: string, own: string | null): Promise<T[]> {
  for (let n = 1; n <= COMPANION_TRIES; n++) {
    const to = `${stem}-${n}`;
    const candidate = n === 1 ? files : restemObjFiles(files, stem, to).map((f) => (f.name === `${to}.obj` ? { ...f, name: `${stem}.obj` } : f));
    const companions = candidate.filter((f) => !f.name.endsWith('.obj'));
    const library = companions.find((f) => f.name.endsWith('.mtl'))?.name;
    if ((own !== null && library === own) || companions.every((f) => !existsSync(join(dir, f.name)))) return candidate;
  }
  // Never the first names again: their files are other exports' (written over, they would be lost).
  throw new NoFreeNameError(dir, files.find((f) => f.name.endsWith('.mtl'))?.name ?? `${stem}.mtl`, COMPANION_TRIES);
}

/** The material library an OBJ already at `path` names (read from its head), or null. */
async function mtllibOf(path: string): Promise<string | null> {
  let handle;
  try {
    handle = await open(path, 'r');
    const head = Buffer.alloc(64 * 1024);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    return /^mtllib (.+?)\r?$/m.exec(head.subarray(0, bytesRead).toString('utf8'))?.[1] ?? null;
  } catch {
    return null;
  } finally {
    await handle?.close();
  }
}
