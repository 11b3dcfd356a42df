// Where the main process finds files that ship beside the code: the SQLite driver built for Electron's
// ABI and the icons. Development reads them from the project folder; a packaged app from its resources
// folder (electron-builder.yml copies them there with extraResources). Pure: tested under Node.
import { join } from 'node:path';

export interface AppLocation {
  isPackaged: boolean;
  /** process.resourcesPath */
  resourcesPath: string;
  /** app.getAppPath(): the project folder in development. */
  appPath: string;
  electronVersion: string;
  platform: NodeJS.Platform;
  arch: string;
}

/** Folder name used by scripts/electron-native.mjs: one build per Electron version, OS and CPU. */
export const nativeFolderName = (loc: Pick<AppLocation, 'electronVersion' | 'platform' | 'arch'>): string =>
  `electron-${loc.electronVersion}-${loc.platform}-${loc.arch}`;

/** better-sqlite3's addon compiled for this Electron (passed to the engine as `nativeBinding`). */
export function sqliteBindingPath(loc: AppLocation): string {
  const base = loc.isPackaged ? join(loc.resourcesPath, 'native') : join(loc.appPath, '.native');
  return join(base, nativeFolderName(loc), 'better_sqlite3.node');
}

/** An icon or other file from resources/ (drag-icon.png, icon.png). */
export function resourceFile(loc: Pick<AppLocation, 'isPackaged' | 'resourcesPath' | 'appPath'>, name: string): string {
  return loc.isPackaged ? join(loc.resourcesPath, name) : join(loc.appPath, 'resources', name);
}
