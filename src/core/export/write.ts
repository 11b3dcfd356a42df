// Writing a recipe's files into a folder: names from the pattern, one free stem per model so no
// file of another model (or an earlier export) is overwritten, the set written whole or not at all - and
// each file only where no file is (placeIfFree): two exports at once (two windows, the automatic export, the
// CLI) each looked for a free name, saw the same one, and the second replaced the first's file.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fsyncDirBestEffort, placeIfFree, tempPathFor, unlinkQuietly, writeTempFile } from '../library/files';
import { MAX_NAME_TRIES, NoFreeNameError } from '../library/free-names';
import { restemObjFiles } from '../library/obj';
import { safeFileStem } from '../util/file-stem';
import { localDay } from '../../shared/local-time';
import type { ExportFile } from './pipeline';
import { cleanKilledSets, openSetJournal } from './set-journal';

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
 * files exists, MAX_NAME_TRIES stems at most. The set appears whole or not at all: every file is first
 * written (and synced) under a temp name in `dir`, then each is given its name only where no file is
 * (placeIfFree). A name taken meanwhile: the names given so far are removed again and the next stem is
 * tried with the same temp files (an OBJ's and MTL's, whose text names the stem, are written again). Any
 * failure removes what this export wrote - never a file that was there before - and every temp file.
 * A journal beside them (set-journal.ts) says which temp files and names are this export's, so the next
 * export into `dir` cleans up after one that was killed (its temp files, the names of a set it never
 * completed), which it does first. `step` (tests) is awaited at each step: 'place:<i>' before the set's
 * i-th name is given, 'committed' once all are.
 * Returns the paths written.
 */
export async function writeNewFiles(
  dir: string,
  stem: string,
  filesFor: (stem: string) => readonly ExportFile[],
  step: (what: string) => Promise<void> | void = () => undefined,
): Promise<string[]> {
  await cleanKilledSets(dir);
  const journal = openSetJournal(dir);
  // The temp file of each file of the set, by its place in the set, with the content it holds.
  const temps: ({ data: Uint8Array; path: string } | undefined)[] = [];
  let placed: string[] = [];
  try {
    for (let n = 1; n <= MAX_NAME_TRIES; n++) {
      const files = filesFor(n === 1 ? stem : `${stem}-${n}`);
      if (new Set(files.map((file) => file.name)).size < files.length) throw new Error('An export named two of its files the same');
      if (files.some((file) => existsSync(join(dir, file.name)))) continue;
      const fresh: number[] = [];
      for (const [i, file] of files.entries()) {
        const temp = temps[i];
        if (temp?.data === file.data) continue;
        if (temp) await unlinkQuietly(temp.path);
        temps[i] = { data: file.data, path: tempPathFor(join(dir, file.name)) };
        fresh.push(i);
      }
      // Every temp file and name of this try is in the journal before either is made.
      const tempPaths = temps.map((temp) => temp!.path);
      await journal.write(tempPaths, files.map((file) => file.name), false);
      for (const i of fresh) await writeTempFile(join(dir, files[i]!.name), files[i]!.data, temps[i]!.path);
      for (const [i, file] of files.entries()) {
        const target = join(dir, file.name);
        await step(`place:${i}`);
        if (!(await placeIfFree(temps[i]!.path, target))) break;
        placed.push(target);
        // Without hard links the temp file was renamed: it is gone, and written again if needed.
        if (!existsSync(temps[i]!.path)) temps[i] = undefined;
      }
      if (placed.length === files.length) {
        await fsyncDirBestEffort(dir);
        // From here a cleanup keeps the names: the set is whole.
        await journal.write(tempPaths, [], true);
        await step('committed');
        const done = placed;
        placed = [];
        return done;
      }
      for (const path of placed) await unlinkQuietly(path);
      placed = [];
    }
    throw new NoFreeNameError(dir, filesFor(stem)[0]?.name ?? stem);
  } finally {
    // Only what this export placed (a name is given only where no file was) and its temp files.
    for (const path of placed) await unlinkQuietly(path);
    for (const temp of temps) if (temp) await unlinkQuietly(temp.path);
    await journal.remove();
  }
}
