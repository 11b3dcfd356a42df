// What a failed add tells the user: the disk that could not confirm new jobs were saved, a database
// error in words, and a drop whose insert failed partway (which photos are queued, which are not, and
// whether adding them again is safe). Wording only, plus the sync it words (syncNewJobs).
import { AppError } from '../../shared/result';
import type { JobStore } from '../queue/store';
import { isBusyError } from '../db/write';
import { errorMessage } from '../util/errors';
import { FolderGoneError, RESTART_TO_USE_COPY } from './data-folder';

/**
 * Waits until the jobs a call added (or joined) would survive a power cut (JobStore.syncToDisk).
 * Should the disk refuse, the call fails - but after the commit: its jobs are in the queue (safe from
 * anything but a power cut; none is sent to FAL before a later sync succeeds, fal-steps arm; after a
 * failed fsync, none before a restart: queue-health). The error says so in words the window shows as
 * they are (an AppError; `offlineOnly`: every job added runs offline, and so is not held): any other error reads "Something went wrong inside the app. Please try
 * again.", and a drop made again with "Make again anyway" (or the CLI's --force) would be paid for twice.
 */
export async function syncNewJobs(store: JobStore, count: number, offlineOnly = false): Promise<void> {
  try {
    await store.syncToDisk();
  } catch (error) {
    const jobs = count === 1 ? 'the new job' : `the ${count} new jobs`;
    const they = count === 1 ? 'It is' : 'They are';
    const them = count === 1 ? 'it' : 'them';
    const was = count === 1 ? 'was' : 'were';
    const held = diskFailureDetail(store);
    if (held !== null && offlineOnly) {
      // Offline jobs send nothing to FAL: they still run (queue-health holds FAL work only).
      throw new AppError(
        'io_error',
        `The disk reported an error while saving${held}, so it could not confirm that ${jobs} ${was} saved. ${they} in the queue and run${count === 1 ? 's' : ''} on this computer, but a power cut before the disk is checked could lose ${them}, and nothing is sent to FAL until Image2Model is restarted. Check the disk (free space, errors), then restart Image2Model. Adding ${them} again is not needed.`,
        { cause: error },
      );
    }
    if (held !== null) {
      // Kept until a restart (db/wal-sync.ts): the jobs wait; the queue says so too.
      throw new AppError(
        'io_error',
        `The disk reported an error while saving${held}, so it could not confirm that ${jobs} ${was} saved. ${they} in the queue and wait${count === 1 ? 's' : ''} there until Image2Model is restarted: nothing more is sent to FAL until then. Check the disk (free space, errors), then restart Image2Model. Adding ${them} again is not needed.`,
        { cause: error },
      );
    }
    const detail = errorMessage(error);
    throw new AppError(
      'io_error',
      `The disk could not confirm that ${jobs} ${was} saved (${detail}). ${they} in the queue, but a power cut before the disk recovers could lose ${them}: check the disk (free space, errors). Adding ${them} again is not needed.`,
      { cause: error },
    );
  }
}

/** The disk's own error as ' (EIO: ...)' once a failed fsync holds FAL work until a restart ('' if it has none); else null. */
export function diskFailureDetail(store: JobStore): string | null {
  const failure = store.diskFailure();
  if (failure === null) return null;
  return failure.cause instanceof Error ? ` (${failure.cause.message})` : '';
}

/** A database error in the user's words, with what to do about it first. */
export function databaseFailureInWords(error: unknown): { why: string; first: string } {
  const code = String((error as { code?: unknown } | null)?.code ?? '');
  const detail = errorMessage(error);
  if (error instanceof FolderGoneError) {
    return error.replaced
      ? { why: "the app's data folder was replaced while they were added (the folder there now is not the one the app opened)", first: `To use the folder there now, ${RESTART_TO_USE_COPY}, then` }
      : { why: "the app's data folder was moved or removed while they were added", first: `Put the folder back where it was (restore it from the trash if it was deleted; a copy put back is used once you ${RESTART_TO_USE_COPY}), then` };
  }
  if (isBusyError(error)) {
    return {
      why: `the job database stayed busy with another process (another window of the app or an image2model command) for too long (${detail})`,
      first: 'Wait a moment, or let that command finish, then',
    };
  }
  if (code.startsWith('SQLITE_FULL')) return { why: `the disk is full (${detail})`, first: 'Free some disk space, then' };
  if (code.startsWith('SQLITE_IOERR')) return { why: `the disk reported an error while the jobs were saved (${detail})`, first: 'Check the disk, then' };
  if (code.startsWith('SQLITE_READONLY') || code.startsWith('SQLITE_CANTOPEN') || code.startsWith('SQLITE_PERM')) {
    return { why: `the job database could not be written (${detail})`, first: "Check that the app's data folder can be written, then" };
  }
  if (code.startsWith('SQLITE_CORRUPT') || code.startsWith('SQLITE_NOTADB')) {
    return { why: `the job database is damaged (${detail})`, first: 'Restart the app, then' };
  }
  return { why: `saving the jobs failed (${detail})`, first: 'Then' };
}

const count = (n: number, one: string, many: string) => (n === 1 ? `1 ${one}` : `${n} ${many}`);

/**
 * The answer to a drop whose insert failed partway: `added` photos are in the queue (added or joined
 * to the job already on its way), the `rest` (their labels) were not.
 */
export function partialAddError(p: { total: number; added: number; rest: readonly string[]; force: boolean; error: unknown; unsynced: unknown; heldUntil: string | null }): AppError {
  const { why, first } = databaseFailureInWords(p.error);
  const restCount = p.rest.length;
  const skipped = p.total - p.added - restCount;
  const addedText =
    p.added === 0
      ? p.total === 1
        ? 'The photo was not added'
        : `None of the ${p.total} photos were added`
      : `${p.added} of the ${p.total} photos ${p.added === 1 ? 'was' : 'were'} added (${p.added === 1 ? 'it is' : 'they are'} in the queue)${
          skipped > 0 ? `, ${count(skipped, 'was', 'were')} skipped (not a usable image, or already in your library)` : ''
        }, and the other ${restCount === 1 ? 'one was' : `${restCount} were`} not`;
  const shown = p.rest.slice(0, 5).map((label) => basenameOf(label));
  const named = shown.join(', ') + (restCount > shown.length ? ` and ${restCount - shown.length} more` : '');
  const todo =
    p.added === 0
      ? `${first} add the ${p.total === 1 ? 'photo' : 'photos'} again.`
      : p.force
        ? // "Make again anyway" does not join jobs on their way: adding the whole drop again would make (and pay for) the added ones twice.
          `${first} add again only the ones that were not added (${named}): with "Make again anyway", the ones already added would be made again.`
        : `${first} add the photos again: the ones already added join their jobs, so nothing is paid twice.`;
  const added = p.added === 1 ? 'job' : 'jobs';
  const unsynced =
    p.unsynced === null
      ? ''
      : p.heldUntil !== null
        ? ` The disk also reported an error while saving${p.heldUntil}: the added ${added} wait${p.added === 1 ? 's' : ''} in the queue until Image2Model is restarted, and nothing more is sent to FAL until then. Check the disk, then restart.`
        : ` The disk also could not confirm that the added ${p.added === 1 ? 'job was' : 'jobs were'} saved (${p.unsynced instanceof Error ? p.unsynced.message : String(p.unsynced)}): a power cut before it recovers could lose ${p.added === 1 ? 'it' : 'them'}.`;
  return new AppError('io_error', `${addedText}: ${why}.${unsynced} ${todo}`, { cause: p.error });
}

function basenameOf(label: string): string {
  return label.split(/[\\/]/).pop() || label;
}
