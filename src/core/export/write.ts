// Writing a recipe's files into a folder: names from the pattern, one free stem per model so no
// file of another model (or an earlier export) is overwritten, every file written atomically - and
// only where no file is (writeFileNew): two exports at once (two windows, the automatic export, the
// CLI) each looked for a free name, saw the same one, and the second replaced the first's file.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { unlinkQuietly, writeFileNew } from '../library/files';
import { MAX_NAME_TRIES, NoFreeNameError } from '../library/free-names';
import { restemObjFiles } from '../library/obj';
import { safeFileStem } from '../util/file-stem';
import { localDay } from '../../shared/local-time';
import type { ExportFile } from './pipeline';

export interface NameFields {
  name: string;
  id: string;
  preset: string;
  date?: Date;
}

/** A file-name stem from the pattern: {name}, {id}, {preset}, {date} replaced, unsafe characters removed. */
export function fileStem(pattern: string, fields: NameFields): string {
  const date = localDay((fields.date ?? new Date()).getTime());
  const filled = pattern.replace(/\{(name|id|preset|date)\}/g, (_m, key: string) =>
    key === 'date' ? date : String(fields[key as 'name' | 'id' | 'preset']),
  );
  return safeFileStem(filled);
}

/** Renames files made for `fromStem` to `toStem`; an OBJ's references to its MTL and textures follow. */
export function renameStem(files: readonly ExportFile[], fromStem: string, toStem: string): ExportFile[] {
  if (fromStem === toStem) return [...files];
  return restemObjFiles(files, fromStem, toStem);
}

/**
 * Writes `filesFor(stem)` into `dir`, or those of `stem-2`, `stem-3`...: the first stem none of whose
 * files exists. A file that appears meanwhile is never written over: the stem's files written so far
 * are removed again and the next stem is tried, MAX_NAME_TRIES stems at most. Returns the paths written.
 */
export async function writeNewFiles(dir: string, stem: string, filesFor: (stem: string) => readonly ExportFile[]): Promise<string[]> {
  for (let n = 1; n <= MAX_NAME_TRIES; n++) {
    const files = filesFor(n === 1 ? stem : `${stem}-${n}`);
    if (new Set(files.map((file) => file.name)).size < files.length) throw new Error('An export named two of its files the same');
    if (files.some((file) => existsSync(join(dir, file.name)))) continue;
    const written: string[] = [];
    for (const file of files) {
      const target = join(dir, file.name);
      if (!(await writeFileNew(target, file.data))) break;
      written.push(target);
    }
    if (written.length === files.length) return written;
    for (const path of written) await unlinkQuietly(path);
  }
  throw new NoFreeNameError(dir, filesFor(stem)[0]?.name ?? stem);
}
