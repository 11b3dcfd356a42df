// Whether the data folder the engine opened is still in its place. A folder moved, renamed or removed
// under the running app (a user tidying up, a sync tool, a drive unplugged) leaves the database open
// where it went, while a file stored now would go to a folder made anew at the old place - so a job
// that finds it gone ends with what happened and what to do, keeping FAL's request id (Download again
// is free once the folder is back).
// A folder put back by moving it is seen at once (the same database file). A copy put back (a new
// file at the same path) is not taken up while running: the open database still writes to the file
// that went (or to none, if it was deleted), so switching to the copy live could lose or split what
// was written after the copy was made. The messages say a restart picks such a copy up.
import { existsSync, statSync } from 'node:fs';
import { AppError } from '../../shared/result';
import { dataPaths } from '../paths';
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

/** Called once the watch says gone: a database at the path now is another file (a copy put back). */
const replacedByCopy = (folder: string) => existsSync(dataPaths(folder).database);

export const RESTART_TO_USE_COPY = 'quit and reopen the app (from a terminal: run the command again)';

/**
 * What happened to the folder and how to get it back, for "<what happened>, so <the effect>. <put back>".
 * Asked when the message is made: a copy already back at the path needs a restart, not a move.
 */
function folderGoneWords(folder: string, during: string): { what: string; putBack: (then: string) => string } {
  if (replacedByCopy(folder)) {
    return {
      what: `The app's data folder (${folder}) was replaced ${during} (the folder there now is not the one the app opened)`,
      putBack: (then) => `To use the folder there now, ${RESTART_TO_USE_COPY}, then ${then}.`,
    };
  }
  return {
    what: `The app's data folder (${folder}) was moved or removed ${during}`,
    putBack: (then) => `Put the folder back where it was (restore it from the trash if it was deleted), then ${then}. A copy put back instead is used once you ${RESTART_TO_USE_COPY}.`,
  };
}

/** The job's end when its data folder went away: never 'something went wrong', never FAL's run blamed. */
export function dataFolderGoneFailure(folder: string, paid: boolean): JobFailure {
  const { what, putBack } = folderGoneWords(folder, 'while this job was running');
  return new JobFailure(
    DATA_FOLDER_GONE,
    paid
      ? `${what}, so the model FAL made (and charged for) could not be saved. ${putBack('use Download again: it is free')}`
      : `${what}, so the job could not go on. Nothing was charged. ${putBack('retry the job')}`,
    false,
  );
}

/** What refuseWhileFolderGone throws: an add's failure wording tells it from a database error. */
export class FolderGoneError extends AppError {
  constructor(
    message: string,
    /** A copy is at the path now: a restart, not putting the folder back, is what is left to do. */
    readonly replaced: boolean,
  ) {
    super('io_error', message);
  }
}

/**
 * Photos added while the data folder is gone: refused, before their prepared copies would make the
 * folder anew at its old place (an empty one there blocks putting the real one back). Asked again
 * before each insert: the folder can go while a drop's photos are prepared.
 */
export function refuseWhileFolderGone(folder: string, gone: (() => boolean) | undefined): void {
  if (!gone?.()) return;
  const { what, putBack } = folderGoneWords(folder, 'while the app was running');
  throw new FolderGoneError(`${what}, so nothing was added. ${putBack('add the photos again')}`, replacedByCopy(folder));
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
