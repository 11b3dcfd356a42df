// The CLI's data folder: one that held a library and is missing now (moved, removed, a drive not
// connected) is refused, never made anew empty at its old place; --start-fresh asks for that.
// Commands that only read (list, stats, reconcile, export, models) never make one at all.
import { existsSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { assertDataFolderInPlace, forgetDataFolder, knownFoldersFile, rememberDataFolder } from '../core/data-folder-record';
import { dataPaths, resolveDataDir } from '../core/paths';
import { UsageError } from './usage-error';

export interface DataFolderOptions {
  dataDir?: string;
  startFresh?: boolean;
}

const START_FRESH =
  'To use another folder, pass --data-dir <folder>; to start with an empty library in that place instead, run the command again with --start-fresh.';

/** The data folder to open; throws what to do when it held a library and is missing. */
export function cliDataDir(opts: DataFolderOptions): string {
  const dataDir = resolveDataDir(opts.dataDir);
  const record = knownFoldersFile();
  if (opts.startFresh) forgetDataFolder(dataDir, record);
  assertDataFolderInPlace(dataDir, record, START_FRESH);
  return dataDir;
}

/**
 * The data folder for a command that only reads it, or null when there is no library yet: the app's
 * default folder not made (a fresh machine), or a folder that holds no library (no database: the user's
 * home folder given as --data-dir) - the command then answers as for an empty library, says so on stderr
 * (stdout stays parseable) and makes, writes and records nothing: reading must not turn a folder into a
 * library. A folder the user named (--data-dir, IMAGE2MODEL_DATA_DIR) that does not exist is a usage
 * error (exit 2): a typo must not read as an empty library, nor become one. --start-fresh still makes an
 * empty library there, as asked.
 */
export function readDataDir(opts: DataFolderOptions): string | null {
  const dataDir = cliDataDir(opts);
  if (opts.startFresh || holdsLibrary(dataDir)) return dataDir;
  if (existsSync(dataDir)) {
    process.stderr.write(`${noLibraryNote(opts, dataDir)}\n`);
    return null;
  }
  const note = missingDataFolderNote(opts, 'there is nothing to read and nothing was made there');
  if (namesDataDir(opts)) throw new UsageError(note);
  process.stderr.write(`${note}\n`);
  return null;
}

/** Whether `dataDir` holds a library (its database), not only whether the folder exists. */
export const holdsLibrary = (dataDir: string): boolean => existsSync(dataPaths(dataDir).database);

/**
 * Says an existing folder holds no library: a named one, `consequence` (what this command did not do:
 * by default it read and made nothing) and what to check; the app's own, what makes it.
 */
export function noLibraryNote(opts: Pick<DataFolderOptions, 'dataDir'>, dataDir: string, consequence = 'there is nothing to read and nothing was made there'): string {
  const folder = resolve(dataDir);
  const database = basename(dataPaths(folder).database);
  return namesDataDir(opts)
    ? `No library in ${folder} (it holds no ${database}), so ${consequence}. Check --data-dir (or IMAGE2MODEL_DATA_DIR): the app shows its data folder in Settings, under About.`
    : `No library yet (the app's data folder ${folder} holds no ${database}): \`image2model convert\` or the app makes it.`;
}

/** What to do with a missing data folder: make it (commands that add work) or only read (see readDataDir). */
export type MissingFolder = 'make' | 'read';

const namesDataDir = (opts: Pick<DataFolderOptions, 'dataDir'>): boolean => Boolean(opts.dataDir || process.env.IMAGE2MODEL_DATA_DIR);

/**
 * Says the data folder does not exist: a named one, with `consequence` (what this command did not do) and
 * what to check; the app's default one, that there is no library yet and what makes it.
 */
export function missingDataFolderNote(opts: Pick<DataFolderOptions, 'dataDir'>, consequence: string): string {
  const dataDir = resolve(resolveDataDir(opts.dataDir));
  return namesDataDir(opts)
    ? `The data folder ${dataDir} does not exist, so ${consequence}. Check --data-dir (or IMAGE2MODEL_DATA_DIR): the app shows its data folder in Settings, under About.`
    : `No library yet (the app's data folder ${dataDir} does not exist): \`image2model convert\` or the app makes it.`;
}

/** Call once the database in `dataDir` is open. */
export const rememberCliDataDir = (dataDir: string): void => rememberDataFolder(dataDir, knownFoldersFile());
