// Whether the data folder the engine opened is still in its place. A folder moved, renamed or removed
// under the running app (a user tidying up, a sync tool, a drive unplugged) leaves the database open
// where it went, while a file stored now would go to a folder made anew at the old place - so a job
// that finds it gone ends with what happened and what to do, keeping FAL's request id (Download again
// is free once the folder is back).
import { existsSync, statSync } from 'node:fs';
import { AppError } from '../../shared/result';
import { JobFailure } from './run-errors';

export const DATA_FOLDER_GONE = 'data_folder_gone';

/**
 * A check that the database file at `databasePath` is still the one opened (the same file, not
 * another one put there). Call right after opening the database.
 */
export function watchDataFolder(databasePath: string): () => boolean {
  const opened = statSync(databasePath, { throwIfNoEntry: false });
  return () => {
    if (!opened) return false; // nothing to compare with: never claimed gone
    try {
      const now = statSync(databasePath, { throwIfNoEntry: false });
      return !now || now.dev !== opened.dev || now.ino !== opened.ino;
    } catch {
      return true; // a parent made a file, no longer readable...: not the folder opened
    }
  };
}

/** The job's end when its data folder went away: never 'something went wrong', never FAL's run blamed. */
export function dataFolderGoneFailure(folder: string, paid: boolean): JobFailure {
  const what = `The app's data folder (${folder}) was moved or removed while this job was running`;
  return new JobFailure(
    DATA_FOLDER_GONE,
    paid
      ? `${what}, so the model FAL made (and charged for) could not be saved. Put the folder back where it was (restore it from the trash if it was deleted), then use Download again: it is free.`
      : `${what}, so the job could not go on. Nothing was charged. Put the folder back where it was (restore it from the trash if it was deleted), then retry the job.`,
    false,
  );
}

/** What refuseWhileFolderGone throws: an add's failure wording tells it from a database error. */
export class FolderGoneError extends AppError {}

/**
 * Photos added while the data folder is gone: refused, before their prepared copies would make the
 * folder anew at its old place (an empty one there blocks putting the real one back). Asked again
 * before each insert: the folder can go while a drop's photos are prepared.
 */
export function refuseWhileFolderGone(folder: string, gone: (() => boolean) | undefined): void {
  if (!gone?.()) return;
  throw new FolderGoneError(
    'io_error',
    `The app's data folder (${folder}) was moved or removed while the app was running, so nothing was added. Put the folder back where it was (restore it from the trash if it was deleted), then add the photos again.`,
  );
}

/**
 * For readers outside the engine (export, reveal, open): a check that the data folder, there when
 * this was made, is no longer at its path (moved or removed under the running app).
 */
export function folderGoneCheck(folder: string): () => boolean {
  const wasThere = existsSync(folder);
  return () => wasThere && !existsSync(folder);
}

/**
 * A model's file asked for while the data folder is gone: it is intact in the folder that went, so
 * never "missing - make the model again" (paid again), and nothing (an exports folder) made there.
 */
export function modelWhileFolderGone(folder: string, name: string): AppError {
  return new AppError(
    'io_error',
    `The app's data folder (${folder}) was moved or removed while the app was running, so "${name}" cannot be read from it. Put the folder back where it was (restore it from the trash if it was deleted), then try again; the model does not need to be made again.`,
  );
}
