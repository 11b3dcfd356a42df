// Writing a recipe's files into a folder: names from the pattern, one free stem per model so no
// file of another model (or an earlier export) is overwritten, every file written atomically.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../library/files';
import { restemObjFiles } from '../library/obj';
import { safeFileStem } from '../util/file-stem';
import type { ExportFile } from './pipeline';

export interface NameFields {
  name: string;
  id: string;
  preset: string;
  date?: Date;
}

/** A file-name stem from the pattern: {name}, {id}, {preset}, {date} replaced, unsafe characters removed. */
export function fileStem(pattern: string, fields: NameFields): string {
  const date = (fields.date ?? new Date()).toISOString().slice(0, 10);
  const filled = pattern.replace(/\{(name|id|preset|date)\}/g, (_m, key: string) =>
    key === 'date' ? date : String(fields[key as 'name' | 'id' | 'preset']),
  );
  return safeFileStem(filled);
}

/** `stem`, or `stem-2`, `stem-3`... such that none of the files (named from the stem) exists yet. */
export function freeStem(dir: string, stem: string, fileNames: (stem: string) => string[], taken: ReadonlySet<string> = new Set()): string {
  for (let n = 1; ; n++) {
    const candidate = n === 1 ? stem : `${stem}-${n}`;
    if (fileNames(candidate).every((name) => !existsSync(join(dir, name)) && !taken.has(name))) return candidate;
  }
}

/** Renames files made for `fromStem` to `toStem`; an OBJ's references to its MTL and textures follow. */
export function renameStem(files: readonly ExportFile[], fromStem: string, toStem: string): ExportFile[] {
  if (fromStem === toStem) return [...files];
  return restemObjFiles(files, fromStem, toStem);
}

export async function writeFiles(dir: string, files: readonly ExportFile[]): Promise<string[]> {
  const written: string[] = [];
  for (const file of files) {
    const target = join(dir, file.name);
    await writeFileAtomic(target, file.data);
    written.push(target);
  }
  return written;
}
