// The CLI's data folder: one that held a library and is missing now (moved, removed, a drive not
// connected) is refused, never made anew empty at its old place; --start-fresh asks for that.
// Commands that only read (list, stats, reconcile, export, models) never make one at all.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { assertDataFolderInPlace, forgetDataFolder, knownFoldersFile, rememberDataFolder } from '../core/data-folder-record';
import { resolveDataDir } from '../core/paths';
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
 * The data folder for a command that only reads it: one that does not exist is a usage error (exit 2),
 * nothing made or recorded - a mistyped --data-dir would become an empty "library", refused as missing
 * once removed. --start-fresh still makes an empty library there, as asked.
 */
export function existingCliDataDir(opts: DataFolderOptions): string {
  const dataDir = cliDataDir(opts);
  if (!opts.startFresh && !existsSync(dataDir)) throw new UsageError(missingDataFolderNote(opts, 'there is nothing to read and nothing was made there'));
  return dataDir;
}

/** What to do with a missing data folder: make it (commands that add work) or refuse it (commands that only read). */
export type MissingFolder = 'make' | 'refuse';

export const dataDirFor = (opts: DataFolderOptions, missing: MissingFolder): string => (missing === 'make' ? cliDataDir(opts) : existingCliDataDir(opts));

/** Says the data folder does not exist, `consequence` (what this command did not do), and what to do. */
export function missingDataFolderNote(opts: Pick<DataFolderOptions, 'dataDir'>, consequence: string): string {
  const dataDir = resolve(resolveDataDir(opts.dataDir));
  return opts.dataDir || process.env.IMAGE2MODEL_DATA_DIR
    ? `The data folder ${dataDir} does not exist, so ${consequence}. Check --data-dir (or IMAGE2MODEL_DATA_DIR): the app shows its data folder in Settings, under About.`
    : `The app's data folder ${dataDir} does not exist yet (the app or \`image2model convert\` makes it), so ${consequence}.`;
}

/** Call once the database in `dataDir` is open. */
export const rememberCliDataDir = (dataDir: string): void => rememberDataFolder(dataDir, knownFoldersFile());
