// The watch's file list, saved in the data folder so that a start knows what came while the app was
// closed: a file not in the list (copied or moved in), or one whose size or time changed, is new; one
// in it is not (an old photo whose permissions changed, one renamed inside the folder). Written
// atomically (temp file, then rename) and bounded: at most MAX_WATCHED_IMAGES files and as many that
// left the listing (~2 MB). Kept for one folder, known by its device and inode, so another folder put
// in its place while the app was closed is not taken as the same one.
import { readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { SavedFiles } from './known-files';

export const SAVED_LIST_FILE = 'watched-folder.json';

const KindSchema = z.enum(['ignored', 'taken', 'refused']);
const SavedListSchema = z.object({
  version: z.literal(1),
  folder: z.string(),
  /** The folder's device and inode ("0:0" where the file system keeps none). */
  folderId: z.string(),
  files: z.array(z.tuple([z.string(), z.number(), z.number(), z.number(), KindSchema])).max(20_000),
  gone: z.array(z.tuple([z.string(), KindSchema])).max(20_000),
});
export type SavedList = z.infer<typeof SavedListSchema>;

export interface SavedListStore {
  /** The list saved for `folder` (null: none, unreadable, or another folder's). */
  read(folder: string, folderId: string): Promise<SavedFiles | null>;
  write(folder: string, folderId: string, files: SavedFiles): Promise<void>;
  /** Forgets the list (turned on anew or off): done at once, before the settings say so. */
  remove(): void;
}

export function createSavedListStore(dataDir: string): SavedListStore {
  const file = join(dataDir, SAVED_LIST_FILE);
  let writing: Promise<void> = Promise.resolve();
  return {
    async read(folder, folderId) {
      await writing;
      try {
        const saved = SavedListSchema.parse(JSON.parse(await readFile(file, 'utf8')));
        if (saved.folder !== folder) return null;
        if (!sameFolder(saved.folderId, folderId)) return null;
        return { files: saved.files, gone: saved.gone };
      } catch {
        return null;
      }
    },
    write(folder, folderId, files) {
      const list: SavedList = { version: 1, folder, folderId, ...files };
      const tmp = `${file}.tmp-${process.pid}`;
      writing = writing.then(async () => {
        await writeFile(tmp, JSON.stringify(list));
        await rename(tmp, file);
      });
      return writing.catch(async (error: unknown) => {
        await unlink(tmp).catch(() => undefined);
        throw error;
      });
    },
    remove() {
      try {
        unlinkSync(file);
      } catch {
        // not there: nothing to forget
      }
    },
  };
}

/** Where a file system gives no inode (0), the folder can't be told from another: taken as the same. */
export function sameFolder(a: string, b: string): boolean {
  return a === b || a.endsWith(':0') || b.endsWith(':0');
}
