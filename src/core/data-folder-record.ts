// Which data folders held a library before, kept OUTSIDE them: everything the app writes (database,
// settings, keys) lives inside its data folder, so a folder moved, removed or on an unplugged drive
// leaves no trace of itself there. Without this record a start would make a new empty library at the
// old place - the jobs in the real folder (paid ones among them) lost to it, and the real folder could
// no longer be put back without a clash. A first run (a folder never recorded) still makes the folder.
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { AppError } from '../shared/result';
import { APP_DIR_NAME, dataPaths, defaultUserDataDir } from './paths';

/** Where the record is kept instead (tests; several installs side by side). */
export const KNOWN_FOLDERS_ENV = 'IMAGE2MODEL_KNOWN_FOLDERS';

/** The most recent folders remembered: enough for anyone's drives, bounded for any number of test runs. */
const MAX_FOLDERS = 50;

/** Beside the app's default data folder (its parent always exists: ~/.config, %APPDATA%...), never in it. */
export function knownFoldersFile(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  return env[KNOWN_FOLDERS_ENV] || join(dirname(defaultUserDataDir(env, platform)), `${APP_DIR_NAME}-data-folders.json`);
}

function readFolders(file: string): string[] {
  try {
    const { folders } = JSON.parse(readFileSync(file, 'utf8')) as { folders?: unknown };
    return Array.isArray(folders) ? folders.filter((f): f is string => typeof f === 'string').slice(0, MAX_FOLDERS) : [];
  } catch {
    return []; // none yet, or unreadable: nothing is known, as on a first run
  }
}

function writeFolders(file: string, folders: string[]): void {
  mkdirSync(dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  try {
    writeFileSync(temp, JSON.stringify({ folders: folders.slice(0, MAX_FOLDERS) }, null, 2));
    renameSync(temp, file);
  } finally {
    rmSync(temp, { force: true });
  }
}

/** What to tell the user when a data folder that held a library is missing (null: nothing is missing). */
export function missingDataFolder(dataDir: string, file: string): string | null {
  const folder = resolve(dataDir);
  if (existsSync(dataPaths(folder).database)) return null;
  return readFolders(file).includes(folder) ? folder : null;
}

/** The message for a missing data folder; `startFresh` says how this front end starts an empty one. */
export function dataFolderMissingMessage(folder: string, startFresh: string): string {
  return (
    `The data folder ${folder} held your library and jobs, but it is missing now (moved, removed, or on a drive that is not connected), so nothing was started. ` +
    `Put the folder back where it was (connect the drive, or restore it from the trash), then start again. ${startFresh}`
  );
}

/** Throws the missing-folder message, before anything is made at the old place. */
export function assertDataFolderInPlace(dataDir: string, file: string, startFresh: string): void {
  const folder = missingDataFolder(dataDir, file);
  if (folder) throw new AppError('io_error', dataFolderMissingMessage(folder, startFresh));
}

/** Call once the database is open in `dataDir`. Best effort: a record that cannot be written only loses this guard. */
export function rememberDataFolder(dataDir: string, file: string): void {
  const folder = resolve(dataDir);
  const folders = readFolders(file);
  if (folders[0] === folder) return; // the common start: no write
  try {
    writeFolders(file, [folder, ...folders.filter((f) => f !== folder)]);
  } catch {
    // A read-only home folder: the app still runs, as it did before this record existed.
  }
}

/** The user chose to start an empty library at `dataDir` (or gave up the old one). */
export function forgetDataFolder(dataDir: string, file: string): void {
  const folder = resolve(dataDir);
  const folders = readFolders(file);
  if (!folders.includes(folder)) return;
  writeFolders(file, folders.filter((f) => f !== folder));
}
