// What an export of several files into a user's folder is doing, kept beside its temp files so the
// next export into that folder can clean up after one that was killed (SIGKILL, a crash, power cut):
// its hidden temp files, and the names it had already given when the set was not complete. Only what
// the journal names, and a name only while it is still a hard link of that export's own temp file -
// never another file (the user's, or another export's with the same bytes). Where the file system has no
// hard links (the temp file is renamed into place) a name given is not proven this export's: it stays.
import { lstatSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { hostname } from 'node:os';
import { basename, join } from 'node:path';
import { keepFresh, TEMP_FILE_TOUCH_MS, TEMP_PREFIX, tempPathFor, unlinkQuietly, writeFileAtomic } from '../library/files';

const JOURNAL_NAME = 'image2model-export-set.json';
/** A journal, or one being written (its own temp name in front: killed between the write and the rename). */
const JOURNAL_FILE = new RegExp(`^(\\${TEMP_PREFIX}[0-9a-f]{12}-){1,2}${JOURNAL_NAME.replace(/\./g, '\\.')}$`);
/** A journal of another machine (a shared folder) counts as left behind once not renewed for this long. */
const STALE_AFTER_MS = 4 * TEMP_FILE_TOUCH_MS;
const HOST = hostname();

interface JournalBody {
  host: string;
  pid: number;
  /** The set's temp files (names in the folder), by place in the set. */
  temps: string[];
  /** The names being given, by place in the set (the stem tried now). */
  targets: string[];
  /** Every name is given: a cleanup removes only the temp files. */
  committed: boolean;
}

export interface SetJournal {
  /** Records the set's temp files and the names about to be given, before any is made (best effort: never throws). */
  write(temps: readonly string[], targets: readonly string[], committed: boolean): Promise<void>;
  /** Removes the journal (the set is done, or cleaned up). */
  remove(): Promise<void>;
}

/** A journal for one export into `dir`; nothing is written until `write`. */
export function openSetJournal(dir: string): SetJournal {
  const path = tempPathFor(join(dir, JOURNAL_NAME));
  let stopFresh: (() => void) | null = null;
  return {
    async write(temps, targets, committed) {
      const body: JournalBody = { host: HOST, pid: process.pid, temps: temps.map((temp) => basename(temp)), targets: [...targets], committed };
      // Replaced whole and synced with its folder before the files it names are made (and before the
      // set counts as whole): after a power cut the next export still finds it and cleans up - a journal
      // lost while its temp files (synced) survived left them for good, and a lost 'committed' left the
      // names of a whole set to be removed as half of one. ~2 fsyncs per write (figures in the commit).
      try {
        await writeFileAtomic(path, new TextEncoder().encode(JSON.stringify(body)));
      } catch {
        // Only an aid to a later cleanup: the export's own writes say what is wrong with the folder
        // (a missing folder, no room) in their words. writeFileAtomic leaves no temp file.
      }
      // Renewed while the export runs: another machine's export into a shared folder waits for it.
      stopFresh ??= keepFresh(path);
    },
    async remove() {
      stopFresh?.();
      await unlinkQuietly(path);
    },
  };
}

/**
 * For one file copied under the temp name `temp` in `dir` and then given its name: cleans up after
 * killed exports into `dir` first, then journals the temp file alone (a name given to one file is a
 * whole export: a cleanup keeps it). Call `remove` once the temp file is gone.
 */
export async function journalTempFile(dir: string, temp: string): Promise<SetJournal> {
  return journalTempFiles(dir, [temp]);
}

/** journalTempFile for several temp files in `dir` that replace files by rename (a cleanup never removes a name). */
export async function journalTempFiles(dir: string, temps: readonly string[]): Promise<SetJournal> {
  await cleanKilledSets(dir);
  const journal = openSetJournal(dir);
  await journal.write(temps, [], true);
  return journal;
}

/** Whether the export that wrote `body` (last renewed at `mtimeMs`) is gone. */
function leftBehind(body: JournalBody, mtimeMs: number, now: number): boolean {
  if (body.host !== HOST) return now - mtimeMs > STALE_AFTER_MS;
  // A live process (or a new one that took the pid) may still be writing: left alone.
  if (body.pid === process.pid) return false;
  try {
    process.kill(body.pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

function readBody(path: string): JournalBody | null {
  try {
    const raw = JSON.parse(readFileSync(path, 'utf8')) as Partial<JournalBody>;
    const isName = (name: unknown): name is string => typeof name === 'string' && name.length > 0 && basename(name) === name && name !== '..' && name !== '.';
    const temps: unknown[] | null = Array.isArray(raw.temps) ? raw.temps : null;
    const targets: unknown[] | null = Array.isArray(raw.targets) ? raw.targets : null;
    if (typeof raw.host !== 'string' || !Number.isInteger(raw.pid) || typeof raw.committed !== 'boolean' || !temps || !targets) return null;
    if (!temps.every((temp) => isName(temp) && temp.startsWith(TEMP_PREFIX)) || !targets.every(isName)) return null;
    return raw as JournalBody;
  } catch {
    return null;
  }
}

/** Whether `target` is still the hard link of `temp` this export placed (the same file, not a copy). */
function holdsPlaced(dir: string, target: string, temp: string): boolean {
  try {
    const placed = lstatSync(join(dir, target));
    const own = lstatSync(join(dir, temp));
    return placed.isFile() && placed.ino === own.ino && placed.dev === own.dev;
  } catch {
    return false;
  }
}

/**
 * Cleans up after exports into `dir` that were killed: for each journal whose export is gone, the
 * names it gave to a set it never completed, then its temp files and the journal. Never throws;
 * returns the names removed (not the temp files).
 */
export async function cleanKilledSets(dir: string, now: number = Date.now()): Promise<string[]> {
  const removed: string[] = [];
  let names: string[];
  try {
    names = readdirSync(dir).filter((name) => JOURNAL_FILE.test(name));
  } catch {
    return removed;
  }
  for (const name of names) {
    const path = join(dir, name);
    let mtimeMs: number;
    try {
      mtimeMs = statSync(path).mtimeMs;
    } catch {
      continue;
    }
    const body = readBody(path);
    if (!body || !leftBehind(body, mtimeMs, now)) continue;
    if (!body.committed) {
      for (const [i, target] of body.targets.entries()) {
        const temp = body.temps[i];
        if (temp === undefined || !holdsPlaced(dir, target, temp)) continue;
        await unlinkQuietly(join(dir, target));
        removed.push(target);
      }
    }
    for (const temp of body.temps) await unlinkQuietly(join(dir, temp));
    await unlinkQuietly(path);
  }
  return removed;
}
