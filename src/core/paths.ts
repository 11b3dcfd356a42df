// Where the app keeps its data, found by Electron's own rules for userData so the app and the CLI
// share one library without needing Electron to tell us.
import { homedir } from 'node:os';
import { isAbsolute, join, relative, sep } from 'node:path';
import { isWithin } from './util/within';

export const APP_DIR_NAME = 'Image2Model';

export function defaultUserDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), APP_DIR_NAME);
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', APP_DIR_NAME);
  return join(env.XDG_CONFIG_HOME || join(homedir(), '.config'), APP_DIR_NAME);
}

/** IMAGE2MODEL_DATA_DIR wins everywhere (app, CLI, tests). */
export function resolveDataDir(explicit?: string | null, env: NodeJS.ProcessEnv = process.env): string {
  return explicit || env.IMAGE2MODEL_DATA_DIR || defaultUserDataDir(env);
}

/** The user's export presets (export/preset-store.ts), shared by the app and the CLI. */
export const PRESETS_FILE = 'export-presets.json';

export interface DataPaths {
  root: string;
  database: string;
  library: string;
  inputs: string;
  previews: string;
  logs: string;
}

export function dataPaths(root: string): DataPaths {
  return {
    root,
    database: join(root, 'image2model.db'),
    library: join(root, 'library'),
    inputs: join(root, 'inputs'),
    previews: join(root, 'previews'),
    logs: join(root, 'logs'),
  };
}

/**
 * How paths inside the data folder are kept in the database: relative, with forward slashes, so
 * the folder can move as a whole. Paths outside it stay absolute.
 */
export function toStoredPath(root: string, path: string): string {
  return isWithin(path, root) ? relative(root, path).split(sep).join('/') : path;
}

/** The absolute path of a stored path (see toStoredPath). */
export function toAbsolutePath(root: string, stored: string): string {
  return isAbsolute(stored) ? stored : join(root, ...stored.split('/'));
}
