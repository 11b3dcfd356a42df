// The CLI's data folder: one that held a library and is missing now (moved, removed, a drive not
// connected) is refused, never made anew empty at its old place; --start-fresh asks for that.
import { assertDataFolderInPlace, forgetDataFolder, knownFoldersFile, rememberDataFolder } from '../core/data-folder-record';
import { resolveDataDir } from '../core/paths';

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

/** Call once the database in `dataDir` is open. */
export const rememberCliDataDir = (dataDir: string): void => rememberDataFolder(dataDir, knownFoldersFile());
