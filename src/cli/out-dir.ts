// The output folder a command writes to exists afterwards: a missing one is created (and the user
// told so), as `convert --out models/` and `export --out prints/` in the README expect. Made with
// makeFolder, not a recursive mkdir: that one never settles for paths like /proc/self/<new>.
import { stat } from 'node:fs/promises';
import { makeFolder } from '../core/util/make-folder';
import { errorMessage } from '../core/util/errors';

/** Whether the output folder is there (false: missing); a file in its place is a usage error. */
export async function checkOutputFolder(dir: string, usageError: (message: string) => Error): Promise<boolean> {
  const info = await stat(dir).catch(() => null);
  if (info && !info.isDirectory()) throw usageError(`The output folder ${dir} is a file, not a folder.`);
  return info !== null;
}

export async function ensureOutputFolder(dir: string, json: boolean, usageError: (message: string) => Error): Promise<void> {
  if (await checkOutputFolder(dir, usageError)) return;
  try {
    await makeFolder(dir);
  } catch (error) {
    throw usageError(`Could not create the output folder ${dir}: ${errorMessage(error)}`);
  }
  if (!json) process.stderr.write(`Created the output folder ${dir}\n`);
}
